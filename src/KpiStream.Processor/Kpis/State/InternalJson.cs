using System.Text.Json;

namespace KpiStream.Processor.Kpis.State;

/// <summary>Serialization of records on internal topics, which only KpiStream reads.</summary>
public static class InternalJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static byte[] Serialize<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, Options);

    /// <returns>Null when the bytes are not a <typeparamref name="T"/>.</returns>
    public static T? Deserialize<T>(byte[]? bytes)
        where T : class
    {
        if (bytes is null || bytes.Length == 0)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<T>(bytes, Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
