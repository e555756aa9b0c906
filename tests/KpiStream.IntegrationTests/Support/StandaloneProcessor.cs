using System.Globalization;
using System.Net;
using Confluent.Kafka;
using KpiStream.Core.Events;
using KpiStream.Core.Kpis;
using KpiStream.Processor.Conventions;
using KpiStream.Serialization.Avro;
using KpiStream.Serialization.Mapping;
using KpiStream.Serialization.Registry;
using KpiStream.TestSupport;

namespace KpiStream.IntegrationTests.Support;

/// <summary>
/// `kpistream run` as its own process on the embedded Kafka it starts, with the command line a
/// test gives, fed known domain events and read back as a KPI table.
/// </summary>
public sealed class StandaloneProcessor : IDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    // Ten minutes ahead of now, on a five-minute boundary (so a scenario of a few minutes falls in one 5m window): inside the
    // accepted event-time range, far from the wall-clock idle advance.
    public static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 300_000 * 300_000).AddMinutes(10);

    private readonly IProducer<string?, byte[]?> _producer;
    private readonly AvroCodec<DomainEvent> _events;
    private readonly List<DomainEvent> _produced = [];
    private int _closers;

    private StandaloneProcessor(KpiProcess process, string bootstrap, int metricsPort, ConfluentSchemaRegistryClient registry, TopicNames topics)
    {
        Process = process;
        Bootstrap = bootstrap;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{metricsPort}") };
        Topics = topics;
        _producer = new ProducerBuilder<string?, byte[]?>(new ProducerConfig { BootstrapServers = bootstrap, EnableIdempotence = true }).Build();
        _events = new AvroCodec<DomainEvent>(new DomainEventMapper(TestSchemas.Set.DomainEvent), registry, topics.DomainEvents);
    }

    public KpiProcess Process { get; }

    public string Bootstrap { get; }

    public HttpClient Http { get; }

    public TopicNames Topics { get; }

    /// <summary>Starts `kpistream run` with the sample journeys, no live view and a free metrics port, plus <paramref name="args"/>, and waits until it is ready.</summary>
    /// <param name="registry">Where the test's producer registers its writer schema; the embedded registry's ids by default.</param>
    /// <param name="config">The journeys file; the sample journeys by default.</param>
    public static async Task<StandaloneProcessor> StartAsync(IEnumerable<string> args, ConfluentSchemaRegistryClient? registry = null, TopicNames? topics = null, IReadOnlyDictionary<string, string>? environment = null, string? config = null)
    {
        var port = Polling.FreePort();
        var process = KpiProcess.Start(
            ["run", "--config", config ?? SampleJourneys.WriteToTempFile(), "--no-live-view", "--metrics-port", port.ToString(CultureInfo.InvariantCulture), .. args],
            environment);
        try
        {
            var bootstrap = TestSupport.Bootstrap.FromLine(await process.WaitForLineAsync("bootstrap servers:", Timeout));
            var processor = new StandaloneProcessor(process, bootstrap, port, registry ?? TestSchemas.NewRegistry(), topics ?? new TopicNames());
            await Polling.UntilAsync(async () => (await processor.Http.GetAsync("/readyz")).StatusCode == HttpStatusCode.OK, Timeout);
            return processor;
        }
        catch (TimeoutException e)
        {
            var output = process.LastOutput(40);
            process.Dispose();
            throw new TimeoutException($"{e.Message}\n{output}", e);
        }
    }

    /// <summary>Produces events to <paramref name="partition"/> of domain-events, keyed by session, and remembers them for <see cref="Expected"/>.</summary>
    public void Produce(int partition, params DomainEvent[] events)
    {
        foreach (var e in events)
        {
            _producer.ProduceAsync(new TopicPartition(Topics.DomainEvents, partition), new Message<string?, byte[]?> { Key = e.SessionId, Value = _events.Encode(e) }).GetAwaiter().GetResult();
            _produced.Add(e);
        }
    }

    /// <summary>Produces one record as it is, which the oracle does not count.</summary>
    public void ProduceRaw(string topic, int partition, string? key, byte[]? value) =>
        _producer.ProduceAsync(new TopicPartition(topic, partition), new Message<string?, byte[]?> { Key = key, Value = value }).GetAwaiter().GetResult();

    /// <summary>Moves the stream time of each of <paramref name="partitions"/> past every window's conversion horizon with a login attempt of the closer segment.</summary>
    public void ProduceClosers(int partitions, DateTimeOffset at)
    {
        for (var partition = 0; partition < partitions; partition++)
        {
            var closer = Events.Of($"closer-{++_closers}", "login_attempted", "login", $"closer-{_closers}", at, region: KpiTableComparison.CloserSegment.Split('=')[1]);
            _producer.ProduceAsync(new TopicPartition(Topics.DomainEvents, partition), new Message<string?, byte[]?> { Key = closer.SessionId, Value = _events.Encode(closer) }).GetAwaiter().GetResult();
        }
    }

    /// <summary>The oracle's windows (minutes unless <paramref name="sizes"/> say otherwise) of every event produced through <see cref="Produce"/>.</summary>
    public IReadOnlyDictionary<string, KpiWindow> Expected(params TimeSpan[] sizes) =>
        KpiOracle.Expect(_produced, SampleJourneys.Catalog, sizes.Length > 0 ? sizes : [TimeSpan.FromMinutes(1)]);

    /// <summary>Waits until kpi.windowed holds every expected window and returns its records; fails naming the differences.</summary>
    public async Task<IReadOnlyList<ConsumeResult<byte[]?, byte[]?>>> WaitForWindowsAsync(IReadOnlyDictionary<string, KpiWindow> expected)
    {
        try
        {
            return await TopicReader.WaitUntilAsync(Bootstrap, Topics.KpiWindowed, r => KpiTableComparison.DistinctInputWindows(r) >= expected.Count, Timeout, $"all {expected.Count} expected windows");
        }
        catch (TimeoutException e)
        {
            var problems = KpiTableComparison.Differences(expected, TopicReader.ReadAll(Bootstrap, Topics.KpiWindowed));
            throw new TimeoutException($"{e.Message} {string.Join("; ", problems.Take(8))}\n{Process.LastOutput(40)}", e);
        }
    }

    public async Task<string> MetricsAsync() => await Http.GetStringAsync("/metrics");

    public void Dispose()
    {
        _producer.Dispose();
        Http.Dispose();
        Process.Dispose();
    }
}
