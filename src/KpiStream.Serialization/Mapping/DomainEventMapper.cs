using Avro;
using Avro.Generic;
using KpiStream.Core.Events;
using KpiStream.Serialization.Avro;
using static KpiStream.Serialization.Avro.GenericRecordFields;

namespace KpiStream.Serialization.Mapping;

public sealed class DomainEventMapper(RecordSchema schema) : IAvroMapper<DomainEvent>, IAvroSpanReader<DomainEvent>
{
    // Event types, journeys, segment values, currencies and services repeat across records; ids do not.
    private readonly Utf8StringPool _repeated = new();

    public RecordSchema Schema { get; } = schema;

    public GenericRecord ToRecord(DomainEvent value)
    {
        var record = new GenericRecord(Schema);
        record.Add("event_id", value.EventId);
        record.Add("event_type", value.EventType);
        record.Add("journey", value.Journey);
        record.Add("session_id", value.SessionId);
        record.Add("user_id", value.UserId);
        record.Add("occurred_at", ToAvroTimestamp(value.OccurredAt));
        record.Add("region", value.Region);
        record.Add("plan_tier", value.PlanTier);
        record.Add("device", value.Device);
        record.Add("amount_minor", value.AmountMinor);
        record.Add("currency", value.Currency);
        record.Add("trace_id", value.TraceId);
        record.Add("service", value.Service);
        record.Add("attributes", ToAvroMap(value.Attributes));
        return record;
    }

    public DomainEvent FromRecord(GenericRecord record) => new(
        record.Required<string>("event_id"),
        record.Required<string>("event_type"),
        record.Optional<string>("journey"),
        record.Required<string>("session_id"),
        record.Optional<string>("user_id"),
        record.Timestamp("occurred_at"),
        record.Required<string>("region"),
        record.Required<string>("plan_tier"),
        record.Required<string>("device"),
        record.OptionalLong("amount_minor"),
        record.Optional<string>("currency"),
        record.Optional<string>("trace_id"),
        record.Optional<string>("service"),
        record.Map<string>("attributes"));

    /// <remarks>Field order of schemas/domain-event.avsc.</remarks>
    public (DomainEvent Value, int BytesRead) Read(ReadOnlySpan<byte> body)
    {
        var reader = new AvroBinaryReader(body);
        var value = new DomainEvent(
            reader.ReadString(),
            reader.ReadString(_repeated),
            reader.ReadOptionalString(_repeated),
            reader.ReadString(),
            reader.ReadOptionalString(),
            DateTimeOffset.FromUnixTimeMilliseconds(reader.ReadLong()),
            reader.ReadString(_repeated),
            reader.ReadString(_repeated),
            reader.ReadString(_repeated),
            reader.ReadOptionalLong(),
            reader.ReadOptionalString(_repeated),
            reader.ReadOptionalString(),
            reader.ReadOptionalString(_repeated),
            reader.ReadStringMap());
        return (value, reader.Position);
    }
}
