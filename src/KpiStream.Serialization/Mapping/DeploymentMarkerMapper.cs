using Avro;
using Avro.Generic;
using KpiStream.Core.Events;
using KpiStream.Serialization.Avro;
using static KpiStream.Serialization.Avro.GenericRecordFields;

namespace KpiStream.Serialization.Mapping;

public sealed class DeploymentMarkerMapper(RecordSchema schema) : IAvroMapper<DeploymentMarker>
{
    public RecordSchema Schema { get; } = schema;

    public GenericRecord ToRecord(DeploymentMarker value)
    {
        var record = new GenericRecord(Schema);
        record.Add("deploy_id", value.DeployId);
        record.Add("service", value.Service);
        record.Add("version", value.Version);
        record.Add("deployed_at", ToAvroTimestamp(value.DeployedAt));
        record.Add("region", value.Region);
        record.Add("author", value.Author);
        record.Add("description", value.Description);
        return record;
    }

    public DeploymentMarker FromRecord(GenericRecord record) => new(
        record.Required<string>("deploy_id"),
        record.Required<string>("service"),
        record.Required<string>("version"),
        record.Timestamp("deployed_at"),
        record.Optional<string>("region"),
        record.Optional<string>("author"),
        record.Optional<string>("description"));
}
