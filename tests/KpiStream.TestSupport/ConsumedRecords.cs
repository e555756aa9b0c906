using System.Text;
using Confluent.Kafka;

namespace KpiStream.TestSupport;

public static class ConsumedRecords
{
    /// <summary>The last value of header <paramref name="name"/> as UTF-8 text, or null when the record has none.</summary>
    public static string? Header(this ConsumeResult<byte[]?, byte[]?> record, string name) =>
        record.Message.Headers?.TryGetLastBytes(name, out var value) == true ? Encoding.UTF8.GetString(value) : null;
}
