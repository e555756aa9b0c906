using System.Collections.Immutable;
using Avro.Generic;

namespace KpiStream.Serialization.Avro;

/// <summary>Typed reads of generic Avro record fields, as Apache.Avro materialises them.</summary>
internal static class GenericRecordFields
{
    public static T Required<T>(this GenericRecord record, string field) =>
        record.TryGetValue(field, out var value) && value is T typed
            ? typed
            : throw new InvalidDataException($"Field '{field}' of {record.Schema.Fullname} is missing or not a {typeof(T).Name}.");

    public static T? Optional<T>(this GenericRecord record, string field)
        where T : class =>
        record.TryGetValue(field, out var value) ? value as T : null;

    public static long? OptionalLong(this GenericRecord record, string field) =>
        record.TryGetValue(field, out var value) && value is long l ? l : null;

    public static DateTimeOffset Timestamp(this GenericRecord record, string field) =>
        new(DateTime.SpecifyKind(record.Required<DateTime>(field), DateTimeKind.Utc));

    public static ImmutableSortedDictionary<string, TValue> Map<TValue>(this GenericRecord record, string field) =>
        record.Required<IDictionary<string, object>>(field)
            .ToImmutableSortedDictionary(kv => kv.Key, kv => (TValue)kv.Value, StringComparer.Ordinal);

    public static Dictionary<string, object> ToAvroMap<TValue>(IEnumerable<KeyValuePair<string, TValue>> values)
        where TValue : notnull =>
        values.ToDictionary(kv => kv.Key, kv => (object)kv.Value, StringComparer.Ordinal);

    /// <summary>Avro timestamp-millis as Apache.Avro expects it: a UTC DateTime, truncated to milliseconds.</summary>
    public static DateTime ToAvroTimestamp(DateTimeOffset value) =>
        DateTimeOffset.FromUnixTimeMilliseconds(value.ToUnixTimeMilliseconds()).UtcDateTime;
}
