using System.Collections.Immutable;
using System.Globalization;
using Avro;
using Avro.Generic;
using KpiStream.Core.Kpis;
using KpiStream.Core.Windows;
using KpiStream.Serialization.Avro;
using static KpiStream.Serialization.Avro.GenericRecordFields;

namespace KpiStream.Serialization.Mapping;

public sealed class KpiWindowMapper(RecordSchema schema) : IAvroMapper<KpiWindow>
{
    public RecordSchema Schema { get; } = schema;

    public GenericRecord ToRecord(KpiWindow value)
    {
        var c = value.Counters;
        var record = new GenericRecord(Schema);
        record.Add("journey", value.Journey);
        record.Add("segment_key", value.Segment.Key);
        record.Add("segment", ToAvroMap(value.Segment.Attributes));
        record.Add("window_start", ToAvroTimestamp(value.Window.Start));
        record.Add("window_end", ToAvroTimestamp(value.Window.End));
        record.Add("window_size_ms", (long)value.Window.Size.TotalMilliseconds);
        record.Add("attempts", c.Attempts);
        record.Add("successes", c.Successes);
        record.Add("failures", c.Failures);
        record.Add("success_rate", c.SuccessRate);
        record.Add("sessions_started", c.SessionsStarted);
        record.Add("sessions_converted", c.SessionsConverted);
        record.Add("conversion_rate", c.ConversionRate);
        record.Add("revenue_minor", ToAvroMap(c.Revenue.Amounts));
        record.Add("late_records", c.LateRecords);
        record.Add("duplicate_records", c.DuplicateRecords);
        record.Add("requests", c.Requests);
        record.Add("request_errors", c.RequestErrors);
        record.Add("latency_p50_ms", c.Latency.Percentile(50)?.TotalMilliseconds);
        record.Add("latency_p95_ms", c.Latency.Percentile(95)?.TotalMilliseconds);
        record.Add("latency_p99_ms", c.Latency.Percentile(99)?.TotalMilliseconds);
        record.Add("latency_buckets_us", ToAvroMap(c.Latency.Buckets.Select(b => KeyValuePair.Create(b.Key.ToString(CultureInfo.InvariantCulture), b.Value))));
        return record;
    }

    public KpiWindow FromRecord(GenericRecord record)
    {
        var segment = Segment.FromAttributes(record.Map<string>("segment"));
        if (segment.Key != record.Required<string>("segment_key"))
        {
            throw new InvalidDataException($"segment_key '{record.Required<string>("segment_key")}' does not match the segment attributes '{segment.Key}'.");
        }

        var window = new TumblingWindow(record.Timestamp("window_start"), TimeSpan.FromMilliseconds(record.Required<long>("window_size_ms")));
        var counters = new KpiCounters(
            record.Required<long>("attempts"),
            record.Required<long>("successes"),
            record.Required<long>("failures"),
            record.Required<long>("sessions_started"),
            record.Required<long>("sessions_converted"),
            CurrencyAmounts.From(record.Map<long>("revenue_minor")),
            record.Required<long>("late_records"),
            record.Required<long>("duplicate_records"),
            record.Required<long>("requests"),
            record.Required<long>("request_errors"),
            new LatencyHistogram(record.Map<long>("latency_buckets_us").ToImmutableSortedDictionary(b => long.Parse(b.Key, CultureInfo.InvariantCulture), b => b.Value)));
        return new KpiWindow(record.Required<string>("journey"), segment, window, counters);
    }
}
