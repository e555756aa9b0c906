using System.Text;

namespace KpiStream.Streaming.Stores;

public sealed class Utf8KeySerde : IStoreSerde<string>
{
    public static readonly Utf8KeySerde Instance = new();

    public byte[] Serialize(string value) => Encoding.UTF8.GetBytes(value);

    public string Deserialize(byte[] bytes) => Encoding.UTF8.GetString(bytes);
}
