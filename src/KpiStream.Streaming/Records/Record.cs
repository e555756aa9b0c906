using System.Collections.Immutable;
using System.Text;

namespace KpiStream.Streaming.Records;

/// <summary>An immutable record flowing through the topology; change one with <c>with</c> or <see cref="WithHeader"/>, which copy it.</summary>
public sealed record Record<TKey, TValue>(TKey Key, TValue Value, DateTimeOffset Timestamp, ImmutableArray<RecordHeader> Headers)
{
    public Record<TKey, TValue> WithHeader(string key, string value) =>
        this with { Headers = Headers.Add(new RecordHeader(key, Encoding.UTF8.GetBytes(value))) };

    public string? Header(string key) =>
        Headers.LastOrDefault(h => h.Key == key) is { } header ? Encoding.UTF8.GetString(header.Value) : null;
}
