using KpiStream.Core.Events;
using KpiStream.Core.Incidents;
using KpiStream.Core.Kpis;
using KpiStream.Core.Slos;
using KpiStream.Processor.Conventions;
using KpiStream.Serialization.Avro;
using KpiStream.Serialization.Mapping;
using KpiStream.Serialization.Registry;

namespace KpiStream.Processor.Kpis;

/// <summary>The Avro codecs of the topology's input and output topics, on one registry; shared by all tasks (they are thread-safe).</summary>
internal sealed class KpiCodecs(SchemaSet schemas, ConfluentSchemaRegistryClient registry, TopicNames topics, KpiOptions options)
{
    public AvroCodec<DomainEvent> DomainEvents { get; } = new(new DomainEventMapper(schemas.DomainEvent), registry, topics.DomainEvents, options.MaxPayloadBytes);

    public AvroCodec<ServiceTelemetry> Telemetry { get; } = new(new ServiceTelemetryMapper(schemas.ServiceTelemetry), registry, topics.ServiceTelemetry, options.MaxPayloadBytes);

    public AvroCodec<DeploymentMarker> Deployments { get; } = new(new DeploymentMarkerMapper(schemas.DeploymentMarker), registry, topics.Deployments, options.MaxPayloadBytes);

    public AvroCodec<KpiWindow> Windows { get; } = new(new KpiWindowMapper(schemas.KpiWindow), registry, topics.KpiWindowed);

    public AvroCodec<SloAlert> Alerts { get; } = new(new SloAlertMapper(schemas.Alert), registry, topics.KpiAlerts);

    public AvroCodec<IncidentReport> Incidents { get; } = new(new IncidentReportMapper(schemas.Incident), registry, topics.KpiIncidents);
}
