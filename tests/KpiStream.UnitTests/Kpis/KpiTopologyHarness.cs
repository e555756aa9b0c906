using System.Text;
using KpiStream.Core.Events;
using KpiStream.Core.Kpis;
using KpiStream.Core.Privacy;
using KpiStream.Processor.Conventions;
using KpiStream.Processor.Kpis;
using KpiStream.Processor.Observability;
using KpiStream.Serialization.Avro;
using KpiStream.Serialization.Mapping;
using KpiStream.Streaming.Runtime;
using KpiStream.Streaming.Testing;
using KpiStream.TestSupport;
using Microsoft.Extensions.Time.Testing;
using Prometheus;

namespace KpiStream.UnitTests.Kpis;

/// <summary>The KPI topology on the test driver, with the sample journeys, 10 s grace and a controllable wall clock.</summary>
internal sealed class KpiTopologyHarness : IDisposable
{
    public const string ApplicationId = "test";
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(10);

    private readonly TopologyTestDriver _driver;
    private readonly AvroCodec<KpiWindow> _kpis;

    public KpiTopologyHarness(DateTimeOffset now)
    {
        Clock = new FakeTimeProvider(now);
        var registry = TestSchemas.NewRegistry();
        Events = new AvroCodec<DomainEvent>(new DomainEventMapper(TestSchemas.Set.DomainEvent), registry, Topics.DomainEvents);
        _kpis = new AvroCodec<KpiWindow>(new KpiWindowMapper(TestSchemas.Set.KpiWindow), registry, Topics.KpiWindowed);
        Metrics = Prometheus.Metrics.NewCustomRegistry();
        var topology = new KpiTopology(
            ApplicationId,
            Topics,
            SampleJourneys.Catalog,
            TestSchemas.Set,
            registry,
            new Pseudonymizer(Encoding.UTF8.GetBytes("harness-key-0123456789")),
            new KpiOptions { Grace = Grace, IdleAdvanceAfter = TimeSpan.FromHours(1) },
            new KpiStreamMetrics(Metrics),
            new LatestKpiBoard());
        _driver = new TopologyTestDriver(
            topology.Build(),
            new Dictionary<string, int>
            {
                [Topics.DomainEvents] = 3,
                [topology.RepartitionTopic] = 3,
                [Topics.KpiWindowed] = 1,
                [Topics.DeadLetter] = 1,
            },
            Clock);
        RepartitionTopic = topology.RepartitionTopic;
    }

    public TopicNames Topics { get; } = new();

    public FakeTimeProvider Clock { get; }

    public AvroCodec<DomainEvent> Events { get; }

    public CollectorRegistry Metrics { get; }

    public string RepartitionTopic { get; }

    public void Pipe(DomainEvent domainEvent) => PipeRaw(domainEvent.SessionId, Events.Encode(domainEvent));

    public void PipeRaw(string key, byte[]? value, int partition = -1) =>
        _driver.Pipe(Topics.DomainEvents, partition >= 0 ? partition : (key.Length % 3), Encoding.UTF8.GetBytes(key), value, Clock.GetUtcNow());

    /// <summary>Lets a second of wall-clock time pass, so ingest tasks broadcast their stream time.</summary>
    public void Tick()
    {
        Clock.Advance(TimeSpan.FromSeconds(1));
        _driver.PunctuateWallClock();
    }

    /// <summary>Every KPI record emitted so far, decoded, in order.</summary>
    public IReadOnlyList<(string Key, KpiWindow Window)> Emitted() =>
        _driver.Output(Topics.KpiWindowed).Select(r => (Encoding.UTF8.GetString(r.Key!), _kpis.Decode(r.Value).Value!)).ToList();

    /// <summary>kpi.windowed read as a table: the last record per key.</summary>
    public IReadOnlyDictionary<string, KpiWindow> Table() =>
        Emitted().GroupBy(e => e.Key).ToDictionary(g => g.Key, g => g.Last().Window);

    public IReadOnlyList<OutgoingRecord> DeadLetters() => _driver.Output(Topics.DeadLetter);

    public IReadOnlyList<OutgoingRecord> Repartitioned() => _driver.Output(RepartitionTopic);

    public void Dispose() => _driver.Dispose();
}
