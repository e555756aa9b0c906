using Avro;
using Avro.Generic;
using KpiStream.Core.Slos;
using KpiStream.Serialization.Avro;
using static KpiStream.Serialization.Avro.GenericRecordFields;

namespace KpiStream.Serialization.Mapping;

public sealed class SloAlertMapper(RecordSchema schema) : IAvroMapper<SloAlert>
{
    private readonly EnumSchema _state = (EnumSchema)schema["state"].Schema;
    private readonly EnumSchema _severity = (EnumSchema)schema["severity"].Schema;

    public RecordSchema Schema { get; } = schema;

    public GenericRecord ToRecord(SloAlert value)
    {
        var record = new GenericRecord(Schema);
        record.Add("alert_id", value.AlertId);
        record.Add("state", ToAvroEnum(_state, value.Status));
        record.Add("severity", ToAvroEnum(_severity, value.Severity));
        record.Add("journey", value.Journey);
        record.Add("segment_key", value.SegmentKey);
        record.Add("slo", value.Slo);
        record.Add("burn_rates", ToAvroMap(value.BurnRates));
        record.Add("tripped_windows", value.TrippedWindows.ToArray());
        record.Add("budget_consumed", value.BudgetConsumed);
        record.Add("started_at", ToAvroTimestamp(value.StartedAt));
        record.Add("ended_at", value.EndedAt is { } ended ? ToAvroTimestamp(ended) : null);
        record.Add("owner", value.Owner);
        record.Add("runbook_url", value.Runbook?.ToString());
        record.AddImpact(value.Impact);
        record.Add("deploys", value.Deploys.ToArray());
        record.Add("summary", value.Summary);
        record.Add("detection_delay_ms", ToAvroMilliseconds(value.DetectionDelay));
        record.Add("incident_id", value.IncidentId);
        record.Add("annotation", value.Annotation);
        return record;
    }

    public SloAlert FromRecord(GenericRecord record) => new(
        record.Required<string>("alert_id"),
        record.Enum<AlertStatus>("state"),
        record.Enum<AlertSeverity>("severity"),
        record.Required<string>("journey"),
        record.Required<string>("segment_key"),
        record.Required<string>("slo"),
        record.Map<double>("burn_rates"),
        [.. record.Required<object[]>("tripped_windows").Cast<string>()],
        record.Required<double>("budget_consumed"),
        record.Timestamp("started_at"),
        record.TryGetValue("ended_at", out var ended) && ended is DateTime ? record.Timestamp("ended_at") : null,
        record.Required<string>("owner"),
        record.Optional<string>("runbook_url") is { } runbook ? new Uri(runbook) : null,
        record.Impact(),
        [.. record.Required<object[]>("deploys").Cast<string>()],
        record.Required<string>("summary"))
    {
        DetectionDelay = record.OptionalMilliseconds("detection_delay_ms"),
        IncidentId = record.Optional<string>("incident_id"),
        Annotation = record.TryGetValue("annotation", out var annotation) && annotation is true,
    };
}
