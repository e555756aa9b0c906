using System.Text;
using KpiStream.Core.Events;
using KpiStream.Core.Journeys;
using KpiStream.Core.Kpis;
using KpiStream.Core.Privacy;
using KpiStream.Core.Slos;
using KpiStream.Core.Validation;
using KpiStream.Processor.Conventions;
using KpiStream.Processor.Observability;
using KpiStream.Serialization.Avro;
using KpiStream.Serialization.Mapping;
using KpiStream.Serialization.Registry;
using KpiStream.Streaming.Stores;
using KpiStream.Streaming.Topologies;

namespace KpiStream.Processor.Kpis;

/// <summary>
/// Wires the KPI topology: domain-events (keyed by session) → funnel (validate, dead-letter,
/// deduplicate, pre-aggregate per journey, segment and minute), and service-telemetry → telemetry
/// (validate, attribute to journeys, pre-aggregate) → partial snapshots and stream-time ticks on
/// the repartition topic keyed by journey → windows → kpi.windowed, and SLO evaluation → kpi.alerts.
/// </summary>
public sealed class KpiTopology(
    string applicationId,
    TopicNames topics,
    JourneyCatalog catalog,
    SchemaSet schemas,
    ISchemaRegistry registry,
    Pseudonymizer pseudonymizer,
    KpiOptions options,
    int inputPartitions,
    KpiStreamMetrics metrics,
    LatestKpiBoard board)
{
    public string RepartitionTopic => TopicNames.Repartition(applicationId);

    public Topology Build()
    {
        options.Validate();
        var ingestCodec = new AvroCodec<DomainEvent>(new DomainEventMapper(schemas.DomainEvent), registry, topics.DomainEvents, options.MaxPayloadBytes);
        var kpiCodec = new AvroCodec<KpiWindow>(new KpiWindowMapper(schemas.KpiWindow), registry, topics.KpiWindowed);
        var alertCodec = new AvroCodec<SloAlert>(new SloAlertMapper(schemas.Alert), registry, topics.KpiAlerts);
        var validator = new DomainEventValidator(catalog, options.EventTimeBounds);
        var telemetryCodec = new AvroCodec<ServiceTelemetry>(new ServiceTelemetryMapper(schemas.ServiceTelemetry), registry, topics.ServiceTelemetry, options.MaxPayloadBytes);
        var telemetryValidator = new ServiceTelemetryValidator(catalog, options.EventTimeBounds);
        var deploymentCodec = new AvroCodec<DeploymentMarker>(new DeploymentMarkerMapper(schemas.DeploymentMarker), registry, topics.Deployments, options.MaxPayloadBytes);

        return new TopologyBuilder()
            .AddSource("domain-events-source", topics.DomainEvents)
            .AddProcessor("funnel", () => new SessionFunnelProcessor(ingestCodec, catalog, validator, pseudonymizer, options, metrics), "domain-events-source")
            .AddSink<string, PartialSnapshot>(SessionFunnelProcessor.SnapshotChild, RepartitionTopic, Utf8, PartialSnapshotCodec.Encode, "funnel")
            .AddBroadcastSink<string?, StreamTimeTick>(SessionFunnelProcessor.TickChild, RepartitionTopic, _ => null, InternalJson.Serialize, "funnel")
            .AddSink<byte[]?, byte[]?>(SessionFunnelProcessor.DeadLetterChild, topics.DeadLetter, Raw, Raw, "funnel")
            // Declaration order is flush order: see SessionFunnelProcessor's remarks.
            .AddStateStore(StoreDefinition.KeyValue(SessionFunnelProcessor.PartialsStore, Utf8KeySerde.Instance, StoreJson.For<PartialState>()), "funnel")
            .AddStateStore(StoreDefinition.KeyValue(SessionFunnelProcessor.SessionsStore, SessionKeySerde.Instance, SessionStateSerde.Instance), "funnel")
            .AddStateStore(StoreDefinition.KeyValue(SessionFunnelProcessor.ClockStore, Utf8KeySerde.Instance, StoreJson.For<TaskClock>()), "funnel")
            .AddSource("telemetry-source", topics.ServiceTelemetry)
            .AddProcessor("telemetry", () => new TelemetryProcessor(telemetryCodec, catalog, telemetryValidator, options, inputPartitions, metrics), "telemetry-source")
            .AddSink<string, PartialSnapshot>(TelemetryProcessor.SnapshotChild, RepartitionTopic, Utf8, PartialSnapshotCodec.Encode, "telemetry")
            .AddBroadcastSink<string?, StreamTimeTick>(TelemetryProcessor.TickChild, RepartitionTopic, _ => null, InternalJson.Serialize, "telemetry")
            .AddSink<byte[]?, byte[]?>(TelemetryProcessor.DeadLetterChild, topics.DeadLetter, Raw, Raw, "telemetry")
            .AddStateStore(StoreDefinition.KeyValue(TelemetryProcessor.PartialsStore, Utf8KeySerde.Instance, StoreJson.For<PartialState>()), "telemetry")
            .AddStateStore(StoreDefinition.KeyValue(TelemetryProcessor.ClockStore, Utf8KeySerde.Instance, StoreJson.For<TaskClock>()), "telemetry")
            .AddSource("deployments-source", topics.Deployments)
            .AddProcessor("deployments", () => new DeploymentProcessor(deploymentCodec, options, metrics), "deployments-source")
            .AddBroadcastSink<string?, DeploymentMarker>(DeploymentProcessor.MarkerChild, RepartitionTopic, _ => null, InternalJson.Serialize, "deployments")
            .AddSink<byte[]?, byte[]?>(DeploymentProcessor.DeadLetterChild, topics.DeadLetter, Raw, Raw, "deployments")
            .AddSource("partials-source", RepartitionTopic)
            .AddProcessor("windows", () => new KpiWindowProcessor(catalog, options, inputPartitions, metrics, board), "partials-source")
            .AddSink<string, KpiWindow>(KpiWindowProcessor.KpiChild, topics.KpiWindowed, Utf8, kpiCodec.Encode, "windows")
            .AddSink<byte[]?, byte[]?>(KpiWindowProcessor.DeadLetterChild, topics.DeadLetter, Raw, Raw, "windows")
            .AddStateStore(StoreDefinition.KeyValue(KpiWindowProcessor.BucketsStore, Utf8KeySerde.Instance, StoreJson.For<MinuteBucket>()), "windows")
            .AddStateStore(StoreDefinition.KeyValue(KpiWindowProcessor.RollupsStore, Utf8KeySerde.Instance, StoreJson.For<RollupBucket>()), "windows")
            .AddProcessor(KpiWindowProcessor.SloChild, () => new SloEvaluator(catalog, metrics, board), "windows")
            .AddStateStore(StoreDefinition.KeyValue(SloEvaluator.MinutesStore, Utf8KeySerde.Instance, StoreJson.For<SliMinute>()), KpiWindowProcessor.SloChild)
            .AddStateStore(StoreDefinition.KeyValue(SloEvaluator.HoursStore, Utf8KeySerde.Instance, StoreJson.For<SliMinute>()), KpiWindowProcessor.SloChild)
            .AddStateStore(StoreDefinition.KeyValue(SloEvaluator.AlertsStore, Utf8KeySerde.Instance, StoreJson.For<AlertLifecycle>()), KpiWindowProcessor.SloChild)
            .AddStateStore(StoreDefinition.KeyValue(SloEvaluator.BusinessStore, Utf8KeySerde.Instance, StoreJson.For<JourneyBusiness>()), KpiWindowProcessor.SloChild)
            .AddStateStore(StoreDefinition.KeyValue(SloEvaluator.DeploysStore, Utf8KeySerde.Instance, StoreJson.For<DeploymentMarker>()), KpiWindowProcessor.SloChild)
            .AddStateStore(StoreDefinition.KeyValue(SloEvaluator.ProgressStore, Utf8KeySerde.Instance, StoreJson.For<long>()), KpiWindowProcessor.SloChild)
            .AddProcessor(KpiWindowProcessor.SilenceChild, () => new SilenceDetector(catalog, SilenceRule.Default, metrics, board), "windows")
            .AddProcessor(KpiWindowProcessor.CompositeChild, () => new CompositeAlertEvaluator(catalog, metrics, board), "windows")
            .AddSink<string, SloAlert>(SloEvaluator.AlertChild, topics.KpiAlerts, Utf8, alertCodec.Encode, KpiWindowProcessor.SloChild, KpiWindowProcessor.SilenceChild, KpiWindowProcessor.CompositeChild)
            .AddStateStore(StoreDefinition.KeyValue(SilenceDetector.ActivityStore, Utf8KeySerde.Instance, StoreJson.For<SliMinute>()), KpiWindowProcessor.SilenceChild)
            .AddStateStore(StoreDefinition.KeyValue(SilenceDetector.AlertsStore, Utf8KeySerde.Instance, StoreJson.For<AlertLifecycle>()), KpiWindowProcessor.SilenceChild)
            .AddStateStore(StoreDefinition.KeyValue(SilenceDetector.ProgressStore, Utf8KeySerde.Instance, StoreJson.For<long>()), KpiWindowProcessor.SilenceChild)
            .AddStateStore(StoreDefinition.KeyValue(CompositeAlertEvaluator.MinutesStore, Utf8KeySerde.Instance, StoreJson.For<JourneyMinute>()), KpiWindowProcessor.CompositeChild)
            .AddStateStore(StoreDefinition.KeyValue(CompositeAlertEvaluator.AlertsStore, Utf8KeySerde.Instance, StoreJson.For<AlertLifecycle>()), KpiWindowProcessor.CompositeChild)
            .AddStateStore(StoreDefinition.KeyValue(CompositeAlertEvaluator.DeploysStore, Utf8KeySerde.Instance, StoreJson.For<DeploymentMarker>()), KpiWindowProcessor.CompositeChild)
            .AddStateStore(StoreDefinition.KeyValue(CompositeAlertEvaluator.ProgressStore, Utf8KeySerde.Instance, StoreJson.For<long>()), KpiWindowProcessor.CompositeChild)
            // Watermarks last: a visible watermark implies the buckets and SLO state it moved are visible too.
            .AddStateStore(StoreDefinition.KeyValue(KpiWindowProcessor.WatermarksStore, Int32KeySerde.Instance, StoreJson.For<long>()), "windows")
            .Build();
    }

    private static byte[] Utf8(string key) => Encoding.UTF8.GetBytes(key);

    private static byte[]? Raw(byte[]? bytes) => bytes;
}
