using System.Text;
using KpiStream.Core.Events;
using KpiStream.Core.Incidents;
using KpiStream.Core.Journeys;
using KpiStream.Core.Kpis;
using KpiStream.Core.Privacy;
using KpiStream.Core.Slos;
using KpiStream.Processor.Conventions;
using KpiStream.Processor.Hosting;
using KpiStream.Processor.Kpis;
using KpiStream.Processor.Kpis.Alerting;
using KpiStream.Processor.Observability;
using KpiStream.Serialization.Avro;
using KpiStream.Serialization.Mapping;
using KpiStream.Streaming.Topologies;
using KpiStream.Streaming.TestUtils;
using KpiStream.TestSupport;
using Microsoft.Extensions.Time.Testing;
using Prometheus;

namespace KpiStream.UnitTests.Kpis;

/// <summary>The KPI topology on the test driver: the sample journeys, 3 input partitions, 10 s grace and a controllable wall clock.</summary>
internal sealed class KpiTopologyHarness : IDisposable
{
    public const int InputPartitions = 3;
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(10);

    private readonly TopologyTestDriver _driver;
    private readonly AvroCodec<KpiWindow> _kpis;
    private readonly AvroCodec<ServiceTelemetry> _telemetry;
    private readonly AvroCodec<SloAlert> _alerts;
    private readonly AvroCodec<IncidentReport> _incidents;
    private readonly AvroCodec<DeploymentMarker> _deployments;
    private int _closers;
    private bool _telemetryPiped;

    /// <param name="idleAdvanceAfter">Null: input never counts as idle.</param>
    /// <param name="maxEventsPerSession">Events one session is followed for.</param>
    /// <param name="alertJudges">The alert kinds to judge; the product's (<see cref="AlertJudges"/>) by default.</param>
    /// <param name="catalog">The journeys; <see cref="SampleJourneys.Catalog"/> by default.</param>
    public KpiTopologyHarness(DateTimeOffset now, TimeSpan? idleAdvanceAfter = null, int maxEventsPerSession = 1000, Func<IReadOnlyList<IAlertJudge>>? alertJudges = null, JourneyCatalog? catalog = null)
    {
        Clock = new FakeTimeProvider(now);
        var registry = TestSchemas.NewRegistry();
        Events = new AvroCodec<DomainEvent>(new DomainEventMapper(TestSchemas.Set.DomainEvent), registry, Topics.DomainEvents);
        _kpis = new AvroCodec<KpiWindow>(new KpiWindowMapper(TestSchemas.Set.KpiWindow), registry, Topics.KpiWindowed);
        _deployments = new AvroCodec<DeploymentMarker>(new DeploymentMarkerMapper(TestSchemas.Set.DeploymentMarker), registry, Topics.Deployments);
        _alerts = new AvroCodec<SloAlert>(new SloAlertMapper(TestSchemas.Set.Alert), registry, Topics.KpiAlerts);
        _incidents = new AvroCodec<IncidentReport>(new IncidentReportMapper(TestSchemas.Set.Incident), registry, Topics.KpiIncidents);
        _telemetry = new AvroCodec<ServiceTelemetry>(new ServiceTelemetryMapper(TestSchemas.Set.ServiceTelemetry), registry, Topics.ServiceTelemetry);
        Metrics = Prometheus.Metrics.NewCustomRegistry();
        var topology = new KpiTopology(
            "test",
            Topics,
            catalog ?? SampleJourneys.Catalog,
            TestSchemas.Set,
            () => registry,
            new Pseudonymizer(Encoding.UTF8.GetBytes(PseudonymizationKey)),
            new KpiOptions { Grace = Grace, IdleAdvanceAfter = idleAdvanceAfter ?? TimeSpan.FromDays(365), MaxEventsPerSession = maxEventsPerSession },
            InputPartitions,
            new KpiStreamMetrics(Metrics),
            Board,
            alertJudges);
        RepartitionTopic = topology.RepartitionTopic;
        _driver = new TopologyTestDriver(
            topology.Build(),
            new Dictionary<string, int>
            {
                [Topics.DomainEvents] = InputPartitions,
                [Topics.ServiceTelemetry] = InputPartitions,
                [Topics.Deployments] = 1,
                [RepartitionTopic] = 3,
                [Topics.KpiWindowed] = 1,
                [Topics.KpiAlerts] = 1,
                [Topics.KpiIncidents] = 1,
                [Topics.DeadLetter] = 1,
            },
            Clock);
    }

    public const string PseudonymizationKey = "harness-key-0123456789";

    public TopicNames Topics { get; } = new();

    public FakeTimeProvider Clock { get; }

    public AvroCodec<DomainEvent> Events { get; }

    public CollectorRegistry Metrics { get; }

    public LatestKpiBoard Board { get; } = new();

    public string RepartitionTopic { get; }

    /// <summary>Pipes an event to the partition its session hashes to, as a producer keyed by session would.</summary>
    public void Pipe(DomainEvent domainEvent, int partition = -1) =>
        PipeRaw(domainEvent.SessionId, Events.Encode(domainEvent), partition);

    public void PipeRaw(string key, byte[]? value, int partition = -1) =>
        _driver.Pipe(Topics.DomainEvents, partition >= 0 ? partition : PartitionOf(key), Encoding.UTF8.GetBytes(key), value, Clock.GetUtcNow());

    public static int PartitionOf(string sessionKey) => (int)((uint)sessionKey.Sum(c => c) % InputPartitions);

    /// <summary>Commits, as the runtime does every commit interval: stage 1 sends changed partials and its stream time.</summary>
    public void Commit() => _driver.Commit();

    /// <summary>Restarts every task from its stores' changelogs as of the last <see cref="Commit"/>.</summary>
    public void Restart() => _driver.Restart();

    /// <summary>Lets wall-clock time pass and runs the tasks' wall-clock punctuation.</summary>
    public void AdvanceWallClock(TimeSpan by)
    {
        Clock.Advance(by);
        _driver.PunctuateWallClock();
    }

    /// <summary>
    /// Moves every input partition's stream time to <paramref name="to"/> with a login attempt in
    /// each (and, once telemetry was piped, a request of a service no journey declares), then commits.
    /// </summary>
    public void AdvanceAllPartitions(DateTimeOffset to)
    {
        for (var partition = 0; partition < InputPartitions; partition++)
        {
            Pipe(TestSupport.Events.Of($"closer-{++_closers}", "login_attempted", "login", $"closer-{_closers}", to, region: "closer"), partition);
            if (_telemetryPiped)
            {
                PipeTelemetry(new ServiceTelemetry("closer-api", "GET /", null, to, 1, 200, RequestOutcome.Success, null, "closer", null), partition);
            }
        }

        Commit();
    }

    public void PipeDeployment(DeploymentMarker marker) =>
        _driver.Pipe(Topics.Deployments, 0, null, _deployments.Encode(marker), Clock.GetUtcNow());

    public void PipeTelemetry(ServiceTelemetry request, int partition)
    {
        _telemetryPiped = true;
        _driver.Pipe(Topics.ServiceTelemetry, partition, null, _telemetry.Encode(request), Clock.GetUtcNow());
    }

    /// <summary>Every KPI record emitted so far, decoded, in order.</summary>
    public IReadOnlyList<(string Key, KpiWindow Window)> Emitted() =>
        _driver.Output(Topics.KpiWindowed).Select(r => (Encoding.UTF8.GetString(r.Key!), _kpis.Decode(r.Value).Value!)).ToList();

    /// <summary>kpi.windowed read as a table, without the windows of the closer events; only windows of <paramref name="size"/> when given.</summary>
    public IReadOnlyDictionary<string, KpiWindow> Table(TimeSpan? size = null) =>
        Emitted()
            .Where(e => e.Window.Segment.Key != "region=closer" && (size is null || e.Window.Window.Size == size))
            .GroupBy(e => e.Key)
            .ToDictionary(g => g.Key, g => g.Last().Window);

    /// <summary>Delivers an input partition again from <paramref name="fromOffset"/>, as after a restart from an older checkpoint.</summary>
    public void Replay(int partition, long fromOffset) => _driver.Replay(Topics.DomainEvents, partition, fromOffset);

    /// <summary>Delivers every repartition partition again from its start.</summary>
    public void ReplayRepartition()
    {
        for (var partition = 0; partition < 3; partition++)
        {
            _driver.Replay(RepartitionTopic, partition, 0);
        }
    }

    public IReadOnlyList<OutgoingRecord> DeadLetters() => _driver.Output(Topics.DeadLetter);

    /// <summary>Every record written to kpi.alerts so far, decoded, in order.</summary>
    public IReadOnlyList<SloAlert> Alerts() => [.. _driver.Output(Topics.KpiAlerts).Select(r => _alerts.Decode(r.Value).Value!)];

    /// <summary>Every record written to kpi.incidents so far, decoded, in order.</summary>
    public IReadOnlyList<IncidentReport> Incidents() => [.. _driver.Output(Topics.KpiIncidents).Select(r => _incidents.Decode(r.Value).Value!)];

    public IReadOnlyList<OutgoingRecord> Repartitioned() => _driver.Output(RepartitionTopic);

    /// <summary>The value of the one sample of <paramref name="metric"/> whose labels include every value of <paramref name="labels"/>.</summary>
    public double SampleValue(string metric, params string[] labels)
    {
        using var stream = new MemoryStream();
        Metrics.CollectAndExportAsTextAsync(stream).GetAwaiter().GetResult();
        var line = Encoding.UTF8.GetString(stream.ToArray()).Split('\n')
            .Single(l => l.StartsWith(metric + "{", StringComparison.Ordinal) && labels.All(v => l.Contains($"\"{v}\"", StringComparison.Ordinal)));
        return double.Parse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
    }

    public void Dispose() => _driver.Dispose();
}
