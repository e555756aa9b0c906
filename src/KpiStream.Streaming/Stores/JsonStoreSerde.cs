using System.Text.Json;

namespace KpiStream.Streaming.Stores;

/// <summary>JSON for store entries: readable in a changelog dump, and tolerant of added fields.</summary>
public sealed class JsonStoreSerde<T>(JsonSerializerOptions options) : IStoreSerde<T>
{
    public byte[] Serialize(T value) => JsonSerializer.SerializeToUtf8Bytes(value, options);

    public T Deserialize(byte[] bytes) =>
        JsonSerializer.Deserialize<T>(bytes, options) ?? throw new JsonException($"Store entry deserialized to null as {typeof(T).Name}.");
}
