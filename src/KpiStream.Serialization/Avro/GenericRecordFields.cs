using System.Collections.Immutable;
using Avro;
using Avro.Generic;
using KpiStream.Core.Slos;

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

    /// <summary>An Avro enum field as a .NET enum of the same names (symbols in capitals, matched without case).</summary>
    public static T Enum<T>(this GenericRecord record, string field)
        where T : struct, System.Enum =>
        System.Enum.Parse<T>(record.Required<GenericEnum>(field).Value, ignoreCase: true);

    /// <summary>A .NET enum as the symbol of an Avro enum: its name in capitals.</summary>
    public static GenericEnum ToAvroEnum<T>(EnumSchema schema, T value)
        where T : struct, System.Enum =>
        new(schema, value.ToString().ToUpperInvariant());

    /// <summary>An optional duration held in milliseconds (a null union branch when absent).</summary>
    public static TimeSpan? OptionalMilliseconds(this GenericRecord record, string field) =>
        record.OptionalLong(field) is { } milliseconds ? TimeSpan.FromMilliseconds(milliseconds) : null;

    public static long? ToAvroMilliseconds(TimeSpan? value) => value is { } duration ? (long)duration.TotalMilliseconds : null;

    /// <summary>The customer impact fields shared by alert and incident records.</summary>
    public static CustomerImpact Impact(this GenericRecord record) =>
        new(record.Required<long>("affected_sessions"), record.Required<long>("revenue_at_risk_minor"), record.Required<double>("impact_score"));

    public static void AddImpact(this GenericRecord record, CustomerImpact impact)
    {
        record.Add("affected_sessions", impact.AffectedSessions);
        record.Add("revenue_at_risk_minor", impact.RevenueAtRiskMinor);
        record.Add("impact_score", impact.Score);
    }

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
