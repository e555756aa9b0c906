using System.Buffers.Binary;

namespace KpiStream.Streaming.Stores;

/// <summary>Big-endian, so byte order is numeric order for non-negative keys.</summary>
public sealed class Int32KeySerde : IStoreSerde<int>
{
    public static readonly Int32KeySerde Instance = new();

    public byte[] Serialize(int value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(bytes, value);
        return bytes;
    }

    public int Deserialize(byte[] bytes) => BinaryPrimitives.ReadInt32BigEndian(bytes);
}
