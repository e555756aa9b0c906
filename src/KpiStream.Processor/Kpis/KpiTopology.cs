using System.Text;
using KpiStream.Core.Events;
using KpiStream.Core.Incidents;
using KpiStream.Core.Journeys;
using KpiStream.Core.Kpis;
using KpiStream.Core.Privacy;
using KpiStream.Core.Slos;
using KpiStream.Core.Validation;
using KpiStream.Processor.Conventions;
using KpiStream.Processor.Kpis.Alerting;
using KpiStream.Processor.Kpis.Funnel;
using KpiStream.Processor.Kpis.Partials;
using KpiStream.Processor.Kpis.State;
using KpiStream.Processor.Kpis.Telemetry;
using KpiStream.Processor.Kpis.Windows;
using KpiStream.Serialization.Avro;
using KpiStream.Serialization.Mapping;
using KpiStream.Serialization.Registry;
using KpiStream.Streaming.Stores;
using KpiStream.Streaming.Topologies;

namespace KpiStream.Processor.Kpis;

/// <summary>
/// Wires the KPI topology and owns the names of its nodes and stores: domain-events (keyed by
/// session) → funnel (validate, dead-letter, deduplicate, pre-aggregate per journey, segment and
/// minute), and service-telemetry → telemetry (validate, attribute to journeys, pre-aggregate) →
/// partial snapshots and stream-time ticks on the repartition topic keyed by journey → windows →
/// kpi.windowed, and every closed minute → alerting → kpi.alerts.
/// </summary>
/// <remarks>
/// Store names are also changelog topic names, so renaming one loses its state on upgrade. Within
/// a processor, stores are flushed in the order they are declared here.
/// </remarks>
public sealed class KpiTopology(
    string applicationId,
    TopicNames topics,
    JourneyCatalog catalog,
    SchemaSet schemas,
    Func<ConfluentSchemaRegistryClient> registry,
    Pseudonymizer pseudonymizer,
    KpiOptions options,
    int inputPartitions,
    IKpiMetrics metrics,
    IKpiBoard board,
    Func<IReadOnlyList<IAlertJudge>>? alertJudges = null)
{
    public const string FunnelPartialsStore = "funnel-partials";
    public const string FunnelSessionsStore = "funnel-sessions";
    public const string FunnelClockStore = "funnel-clock";
    public const string FunnelSnapshotsSink = "partial-snapshots-sink";
    public const string FunnelTicksSink = "stream-time-ticks-sink";
    public const string FunnelDeadLetterSink = "funnel-dlq-sink";

    public const string TelemetryPartialsStore = "telemetry-partials";
    public const string TelemetryClockStore = "telemetry-clock";
    public const string TelemetrySnapshotsSink = "telemetry-snapshots-sink";
    public const string TelemetryTicksSink = "telemetry-ticks-sink";
    public const string TelemetryDeadLetterSink = "telemetry-dlq-sink";

    public const string DeploymentMarkersSink = "deployment-markers-sink";
    public const string DeploymentDeadLetterSink = "deployment-dlq-sink";

    public const string WindowBucketsStore = "window-buckets";
    public const string WindowRollupsStore = "window-rollups";
    public const string WindowWatermarksStore = "window-watermarks";
    public const string KpiWindowedSink = "kpi-windowed-sink";
    public const string WindowDeadLetterSink = "window-dlq-sink";

    public const string AlertingNode = "alerting";
    public const string AlertLifecyclesStore = "alert-lifecycles";
    public const string AlertOutcomesStore = "alert-outcomes";
    public const string AlertDeploysStore = "alert-deploys";
    public const string AlertProgressStore = "alert-progress";
    public const string AlertIncidentsStore = "alert-incidents";
    public const string KpiAlertsSink = "kpi-alerts-sink";
    public const string KpiIncidentsSink = "kpi-incidents-sink";

    private const string FunnelNode = "funnel";
    private const string TelemetryNode = "telemetry";
    private const string DeploymentsNode = "deployments";
    private const string WindowsNode = "windows";

    public string RepartitionTopic => TopicNames.Repartition(applicationId);

    /// <summary>A fresh set of judges for each task: <see cref="AlertJudges"/> unless the caller brings its own.</summary>
    private IReadOnlyList<IAlertJudge> Judges() => alertJudges?.Invoke() ?? AlertJudges.Create(catalog, metrics, board);

    public Topology Build()
    {
        options.Validate();
        // Made when a task first needs them: composing the topology only to list its topics reaches no registry.
        var codecs = new Lazy<KpiCodecs>(() => new KpiCodecs(schemas, registry(), topics, options));
        var validator = new DomainEventValidator(catalog, options.EventTimeBounds);
        var telemetryValidator = new ServiceTelemetryValidator(catalog, options.EventTimeBounds);

        var builder = new TopologyBuilder()
            .AddSource("domain-events-source", topics.DomainEvents)
            .AddProcessor(FunnelNode, () => new SessionFunnelProcessor(codecs.Value.DomainEvents, catalog, validator, pseudonymizer, options, metrics), "domain-events-source")
            .AddSink<string, PartialSnapshot>(FunnelSnapshotsSink, RepartitionTopic, Utf8, PartialSnapshotCodec.Encode, FunnelNode)
            .AddBroadcastSink<string?, StreamTimeTick>(FunnelTicksSink, RepartitionTopic, _ => null, InternalJson.Serialize, FunnelNode)
            .AddSink<byte[]?, byte[]?>(FunnelDeadLetterSink, topics.DeadLetter, Raw, Raw, FunnelNode)
            // See SessionFunnelProcessor's remarks for why partials come first.
            .AddStateStore(StoreDefinition.KeyValue(FunnelPartialsStore, Utf8KeySerde.Instance, StoreJson.For<PartialState>()), FunnelNode)
            .AddStateStore(StoreDefinition.KeyValue(FunnelSessionsStore, SessionKeySerde.Instance, SessionStateSerde.Instance), FunnelNode)
            .AddStateStore(StoreDefinition.KeyValue(FunnelClockStore, Utf8KeySerde.Instance, StoreJson.For<TaskClock>()), FunnelNode)
            .AddSource("telemetry-source", topics.ServiceTelemetry)
            .AddProcessor(TelemetryNode, () => new TelemetryProcessor(codecs.Value.Telemetry, catalog, telemetryValidator, options, inputPartitions, metrics), "telemetry-source")
            .AddSink<string, PartialSnapshot>(TelemetrySnapshotsSink, RepartitionTopic, Utf8, PartialSnapshotCodec.Encode, TelemetryNode)
            .AddBroadcastSink<string?, StreamTimeTick>(TelemetryTicksSink, RepartitionTopic, _ => null, InternalJson.Serialize, TelemetryNode)
            .AddSink<byte[]?, byte[]?>(TelemetryDeadLetterSink, topics.DeadLetter, Raw, Raw, TelemetryNode)
            .AddStateStore(StoreDefinition.KeyValue(TelemetryPartialsStore, Utf8KeySerde.Instance, StoreJson.For<PartialState>()), TelemetryNode)
            .AddStateStore(StoreDefinition.KeyValue(TelemetryClockStore, Utf8KeySerde.Instance, StoreJson.For<TaskClock>()), TelemetryNode)
            .AddSource("deployments-source", topics.Deployments)
            .AddProcessor(DeploymentsNode, () => new DeploymentProcessor(codecs.Value.Deployments, options, metrics), "deployments-source")
            .AddBroadcastSink<string?, DeploymentMarker>(DeploymentMarkersSink, RepartitionTopic, _ => null, InternalJson.Serialize, DeploymentsNode)
            .AddSink<byte[]?, byte[]?>(DeploymentDeadLetterSink, topics.DeadLetter, Raw, Raw, DeploymentsNode)
            .AddSource("partials-source", RepartitionTopic)
            .AddProcessor(WindowsNode, () => new KpiWindowProcessor(catalog, options, inputPartitions, metrics, board), "partials-source")
            .AddSink<string, KpiWindow>(KpiWindowedSink, topics.KpiWindowed, Utf8, window => codecs.Value.Windows.Encode(window), WindowsNode)
            .AddSink<byte[]?, byte[]?>(WindowDeadLetterSink, topics.DeadLetter, Raw, Raw, WindowsNode)
            .AddStateStore(StoreDefinition.KeyValue(WindowBucketsStore, Utf8KeySerde.Instance, StoreJson.For<MinuteBucket>()), WindowsNode)
            .AddStateStore(StoreDefinition.KeyValue(WindowRollupsStore, Utf8KeySerde.Instance, StoreJson.For<RollupBucket>()), WindowsNode)
            .AddProcessor(AlertingNode, () => new AlertingProcessor(catalog, Judges(), metrics, board), WindowsNode)
            .AddSink<string, SloAlert>(KpiAlertsSink, topics.KpiAlerts, Utf8, alert => codecs.Value.Alerts.Encode(alert), AlertingNode)
            .AddSink<string, IncidentReport>(KpiIncidentsSink, topics.KpiIncidents, Utf8, incident => codecs.Value.Incidents.Encode(incident), AlertingNode);

        // The judges' history first, the stage's own state after it and its progress last: visible progress implies visible alert state.
        foreach (var store in Judges().SelectMany(j => j.Stores))
        {
            builder.AddStateStore(store, AlertingNode);
        }

        return builder
            .AddStateStore(StoreDefinition.KeyValue(AlertLifecyclesStore, Utf8KeySerde.Instance, StoreJson.For<AlertLifecycle>()), AlertingNode)
            .AddStateStore(StoreDefinition.KeyValue(AlertOutcomesStore, Utf8KeySerde.Instance, StoreJson.For<JourneyBusiness>()), AlertingNode)
            .AddStateStore(StoreDefinition.KeyValue(AlertDeploysStore, Utf8KeySerde.Instance, StoreJson.For<DeploymentMarker>()), AlertingNode)
            .AddStateStore(StoreDefinition.KeyValue(AlertIncidentsStore, Utf8KeySerde.Instance, StoreJson.For<Incident>()), AlertingNode)
            .AddStateStore(StoreDefinition.KeyValue(AlertProgressStore, Utf8KeySerde.Instance, StoreJson.For<long>()), AlertingNode)
            // Watermarks last: a visible watermark implies the buckets and alert state it moved are visible too.
            .AddStateStore(StoreDefinition.KeyValue(WindowWatermarksStore, Int32KeySerde.Instance, StoreJson.For<long>()), WindowsNode)
            .Build();
    }

    private static byte[] Utf8(string key) => Encoding.UTF8.GetBytes(key);

    private static byte[]? Raw(byte[]? bytes) => bytes;
}
