using Avro;
using Avro.Generic;
using KpiStream.Core.Incidents;
using KpiStream.Core.Slos;
using KpiStream.Serialization.Avro;
using static KpiStream.Serialization.Avro.GenericRecordFields;

namespace KpiStream.Serialization.Mapping;

public sealed class IncidentReportMapper(RecordSchema schema) : IAvroMapper<IncidentReport>
{
    private readonly EnumSchema _state = (EnumSchema)schema["state"].Schema;
    private readonly EnumSchema _severity = (EnumSchema)schema["severity"].Schema;
    private readonly RecordSchema _alert = (RecordSchema)((ArraySchema)schema["alerts"].Schema).ItemSchema;

    public RecordSchema Schema { get; } = schema;

    public GenericRecord ToRecord(IncidentReport value)
    {
        var record = new GenericRecord(Schema);
        record.Add("incident_id", value.IncidentId);
        record.Add("state", ToAvroEnum(_state, value.State));
        record.Add("severity", ToAvroEnum(_severity, value.Severity));
        record.Add("journey", value.Journey);
        record.Add("owner", value.Owner);
        record.Add("opened_at", ToAvroTimestamp(value.OpenedAt));
        record.Add("closed_at", value.ClosedAt is { } closed ? ToAvroTimestamp(closed) : null);
        record.Add("alerts", value.Alerts.Select(ToRecord).ToArray());
        record.Add("affected_segments", value.AffectedSegments.ToArray());
        record.Add("worst_segment", value.WorstSegment);
        record.AddImpact(value.Impact);
        record.Add("deploys", value.Deploys.ToArray());
        record.Add("summary", value.Summary);
        record.Add("detection_delay_ms", ToAvroMilliseconds(value.DetectionDelay));
        return record;
    }

    public IncidentReport FromRecord(GenericRecord record) => new(
        record.Required<string>("incident_id"),
        record.Enum<IncidentState>("state"),
        record.Enum<AlertSeverity>("severity"),
        record.Required<string>("journey"),
        record.Required<string>("owner"),
        record.Timestamp("opened_at"),
        record.TryGetValue("closed_at", out var closed) && closed is DateTime ? record.Timestamp("closed_at") : null,
        [.. record.Required<object[]>("alerts").Cast<GenericRecord>().Select(FromAlertRecord)],
        [.. record.Required<object[]>("affected_segments").Cast<string>()],
        record.Optional<string>("worst_segment"),
        record.Impact(),
        [.. record.Required<object[]>("deploys").Cast<string>()],
        record.Required<string>("summary"),
        record.OptionalMilliseconds("detection_delay_ms"));

    private static IncidentAlert FromAlertRecord(GenericRecord alert) => new(
        alert.Required<string>("alert_id"),
        alert.Required<string>("slo"),
        alert.Required<string>("segment_key"),
        alert.Enum<AlertSeverity>("severity"),
        alert.Enum<AlertStatus>("state"),
        alert.Timestamp("started_at"),
        alert.Required<bool>("annotation"));

    private GenericRecord ToRecord(IncidentAlert alert)
    {
        var record = new GenericRecord(_alert);
        record.Add("alert_id", alert.AlertId);
        record.Add("slo", alert.Slo);
        record.Add("segment_key", alert.SegmentKey);
        record.Add("severity", ToAvroEnum((EnumSchema)_alert["severity"].Schema, alert.Severity));
        record.Add("state", ToAvroEnum((EnumSchema)_alert["state"].Schema, alert.Status));
        record.Add("started_at", ToAvroTimestamp(alert.StartedAt));
        record.Add("annotation", alert.Annotation);
        return record;
    }
}
