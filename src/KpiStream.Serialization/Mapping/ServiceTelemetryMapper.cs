using Avro;
using Avro.Generic;
using KpiStream.Core.Events;
using KpiStream.Serialization.Avro;
using static KpiStream.Serialization.Avro.GenericRecordFields;

namespace KpiStream.Serialization.Mapping;

public sealed class ServiceTelemetryMapper(RecordSchema schema) : IAvroMapper<ServiceTelemetry>
{
    private readonly EnumSchema _outcome = (EnumSchema)schema["outcome"].Schema;

    public RecordSchema Schema { get; } = schema;

    public GenericRecord ToRecord(ServiceTelemetry value)
    {
        var record = new GenericRecord(Schema);
        record.Add("service", value.Service);
        record.Add("operation", value.Operation);
        record.Add("trace_id", value.TraceId);
        record.Add("timestamp", ToAvroTimestamp(value.Timestamp));
        record.Add("duration_ms", value.DurationMs);
        record.Add("status_code", value.StatusCode);
        record.Add("outcome", ToAvroEnum(_outcome, value.Outcome));
        record.Add("deploy_version", value.DeployVersion);
        record.Add("region", value.Region);
        record.Add("journey", value.Journey);
        return record;
    }

    public ServiceTelemetry FromRecord(GenericRecord record) => new(
        record.Required<string>("service"),
        record.Required<string>("operation"),
        record.Optional<string>("trace_id"),
        record.Timestamp("timestamp"),
        record.Required<double>("duration_ms"),
        record.Required<int>("status_code"),
        record.Enum<RequestOutcome>("outcome"),
        record.Optional<string>("deploy_version"),
        record.Required<string>("region"),
        record.Optional<string>("journey"));
}
