using System.Text;
using KpiStream.Core.Events;
using KpiStream.Core.Journeys;
using KpiStream.Core.Kpis;
using KpiStream.Core.Privacy;
using KpiStream.Core.Validation;
using KpiStream.Processor.Conventions;
using KpiStream.Processor.Observability;
using KpiStream.Serialization.Avro;
using KpiStream.Serialization.Mapping;
using KpiStream.Serialization.Registry;
using KpiStream.Streaming.Stores;
using KpiStream.Streaming.Topology;

namespace KpiStream.Processor.Kpis;

/// <summary>
/// Wires the KPI topology: domain-events → ingest (validate, dead-letter, re-key) → repartition
/// topic keyed by journey|segment → windows → kpi.windowed.
/// </summary>
public sealed class KpiTopology(
    string applicationId,
    TopicNames topics,
    JourneyCatalog catalog,
    SchemaSet schemas,
    ISchemaRegistry registry,
    Pseudonymizer pseudonymizer,
    KpiOptions options,
    KpiStreamMetrics metrics,
    LatestKpiBoard board)
{
    public string RepartitionTopic => TopicNames.Repartition(applicationId);

    public Topology Build()
    {
        options.Validate();
        var eventMapper = new DomainEventMapper(schemas.DomainEvent);
        var ingestCodec = new AvroCodec<DomainEvent>(eventMapper, registry, topics.DomainEvents, options.MaxPayloadBytes);
        var repartitionCodec = new AvroCodec<DomainEvent>(eventMapper, registry, RepartitionTopic, options.MaxPayloadBytes);
        var kpiCodec = new AvroCodec<KpiWindow>(new KpiWindowMapper(schemas.KpiWindow), registry, topics.KpiWindowed);
        var validator = new DomainEventValidator(catalog, options.EventTimeBounds);

        return new TopologyBuilder()
            .AddSource("domain-events-source", topics.DomainEvents)
            .AddProcessor("ingest", () => new EventIngestProcessor(ingestCodec, validator, pseudonymizer, options, metrics), "domain-events-source")
            .AddSink<string, DomainEvent>(EventIngestProcessor.ValidChild, RepartitionTopic, Utf8, repartitionCodec.Encode, "ingest")
            .AddBroadcastSink<byte[]?, byte[]?>(EventIngestProcessor.TickChild, RepartitionTopic, Raw, Raw, "ingest")
            .AddSink<byte[]?, byte[]?>(EventIngestProcessor.DeadLetterChild, topics.DeadLetter, Raw, Raw, "ingest")
            .AddSource("events-by-segment-source", RepartitionTopic)
            .AddProcessor("windows", () => new KpiWindowProcessor(repartitionCodec, catalog, options, metrics, board), "events-by-segment-source")
            .AddSink<string, KpiWindow>(KpiWindowProcessor.KpiChild, topics.KpiWindowed, Utf8, kpiCodec.Encode, "windows")
            .AddSink<byte[]?, byte[]?>(KpiWindowProcessor.DeadLetterChild, topics.DeadLetter, Raw, Raw, "windows")
            .AddStateStore(StoreDefinition.InMemoryKeyValue<KpiWindowKey, WindowState>(KpiWindowProcessor.WindowsStore), "windows")
            .AddStateStore(StoreDefinition.InMemoryKeyValue<string, SessionStart>(KpiWindowProcessor.SessionsStore), "windows")
            .AddStateStore(StoreDefinition.InMemoryKeyValue<string, DateTimeOffset>(KpiWindowProcessor.SeenEventsStore), "windows")
            .Build();
    }

    private static byte[] Utf8(string key) => Encoding.UTF8.GetBytes(key);

    private static byte[]? Raw(byte[]? bytes) => bytes;
}
