using System.Text;
using Confluent.Kafka;
using KpiStream.Core.Events;
using KpiStream.Core.Kpis;
using KpiStream.EmbeddedKafka;
using KpiStream.Processor.Conventions;
using KpiStream.Processor.Hosting;
using KpiStream.Serialization.Avro;
using KpiStream.Serialization.Mapping;
using KpiStream.TestSupport;

namespace KpiStream.IntegrationTests.Support;

/// <summary>
/// One exactly-once proof run: a fresh embedded cluster, a seeded input of many sessions produced
/// keyed by session, processor processes started and killed by the scenario, and the output read
/// back as a table and compared with <see cref="KpiOracle"/>.
/// </summary>
public sealed class ProofRun : IDisposable
{
    public const string ApplicationId = "proof";
    public const int Partitions = 6;
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(4);
    private readonly string _config = SampleJourneys.WriteToTempFile();
    private readonly List<KpiProcess> _processes = [];
    private readonly TopicNames _topics = new();

    public ProofRun(int sessions, int seed, bool duplicateEverything = false)
    {
        Cluster = EmbeddedKafkaCluster.Start(brokerCount: 3);
        var options = new RunOptions { ApplicationId = ApplicationId, InputPartitions = Partitions, ConfigPath = _config };
        foreach (var topic in KpiStreamApp.TopicsFor(options))
        {
            Cluster.CreateTopic(topic.Name, topic.Partitions, 3);
        }

        // Event time starts a minute ahead of now, so it stays inside the accepted range and ahead of any idle advance.
        Start = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 60_000 * 60_000).AddMinutes(1);
        var events = SyntheticTraffic.Generate(seed, sessions, Start, TimeSpan.FromMinutes(15));
        Input = duplicateEverything ? events.SelectMany(e => new[] { e, e }).ToList() : events;
        ClosersAt = Start.AddMinutes(15 + 3 + 13);
        Expected = KpiOracle.Expect(Input, SampleJourneys.Catalog, TimeSpan.FromMinutes(1));
    }

    public EmbeddedKafkaCluster Cluster { get; }

    public DateTimeOffset Start { get; }

    public DateTimeOffset ClosersAt { get; }

    public IReadOnlyList<DomainEvent> Input { get; }

    public IReadOnlyDictionary<string, KpiWindow> Expected { get; }

    /// <summary>Produces the input, then one closer per partition that moves its stream time past every input window's horizon.</summary>
    public void ProduceInput(Action<int>? afterEach = null)
    {
        var codec = new AvroCodec<DomainEvent>(new DomainEventMapper(TestSchemas.Set.DomainEvent), TestSchemas.NewRegistry(), _topics.DomainEvents);
        using var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig
        {
            BootstrapServers = Cluster.BootstrapServers,
            EnableIdempotence = true,
            LingerMs = 20,
            Partitioner = Partitioner.Murmur2,
        }).Build();
        for (var i = 0; i < Input.Count; i++)
        {
            producer.Produce(_topics.DomainEvents, new Message<string, byte[]> { Key = Input[i].SessionId, Value = codec.Encode(Input[i]) });
            afterEach?.Invoke(i);
        }

        for (var partition = 0; partition < Partitions; partition++)
        {
            var closer = Events.Of($"closer-{partition}", "login_attempted", "login", $"closer-{partition}", ClosersAt, region: "closer");
            producer.Produce(new TopicPartition(_topics.DomainEvents, partition), new Message<string, byte[]> { Key = closer.SessionId, Value = codec.Encode(closer) });
        }

        producer.Flush(TimeSpan.FromSeconds(60));
    }

    public KpiProcess StartProcessor()
    {
        var process = KpiProcess.Start(
            [
                "run", "--bootstrap-servers", Cluster.BootstrapServers, "--application-id", ApplicationId, "--config", _config,
                "--grace", "10s", "--metrics-port", "0", "--no-live-view",
                "-X", "session.timeout.ms=6000", "-X", "heartbeat.interval.ms=500",
            ],
            new Dictionary<string, string> { [RunOptions.PseudonymizationKeyVariable] = "proof-run-key-0123456789" });
        _processes.Add(process);
        return process;
    }

    /// <summary>Waits until kpi.windowed holds as many windows as expected, then returns all its records, decoded, with their keys.</summary>
    public async Task<IReadOnlyList<(string Key, byte[] Value)>> WaitForOutputAsync()
    {
        var expectedWindows = Expected.Count;
        var records = await TopicReader.WaitUntilAsync(
            Cluster.BootstrapServers,
            _topics.KpiWindowed,
            r => r.Select(x => Encoding.UTF8.GetString(x.Message.Key!)).Where(k => !k.Contains("region=closer", StringComparison.Ordinal)).Distinct().Count() >= expectedWindows,
            Timeout,
            $"all {expectedWindows} expected windows");
        return records
            .Select(r => (Encoding.UTF8.GetString(r.Message.Key!), r.Message.Value!))
            .Where(r => !r.Item1.Contains("region=closer", StringComparison.Ordinal))
            .ToList();
    }

    /// <summary>Asserts the output, read as a table, equals the oracle, and every record of one identity is byte-identical.</summary>
    public void AssertExactlyTheOracle(IReadOnlyList<(string Key, byte[] Value)> records)
    {
        Assert.True(Input.Count >= 50_000, $"proof inputs need at least 50,000 events, got {Input.Count}");
        var codec = new AvroCodec<KpiWindow>(new KpiWindowMapper(TestSchemas.Set.KpiWindow), TestSchemas.NewRegistry(), _topics.KpiWindowed);
        foreach (var identity in records.GroupBy(r => r.Key))
        {
            var first = identity.First().Value;
            Assert.All(identity, r => Assert.Equal(first, r.Value));
        }

        var table = records.GroupBy(r => r.Key).ToDictionary(g => g.Key, g => codec.Decode(g.Last().Value).Value!);
        var missing = Expected.Keys.Except(table.Keys).ToList();
        var extra = table.Keys.Except(Expected.Keys).ToList();
        Assert.True(missing.Count == 0 && extra.Count == 0, $"missing windows: {string.Join(" ", missing.Take(5))}; extra windows: {string.Join(" ", extra.Take(5))}");
        var wrong = Expected.Where(kv => table[kv.Key] != kv.Value).Select(kv => $"{kv.Key}: expected {kv.Value.Counters}, got {table[kv.Key].Counters}").ToList();
        Assert.True(wrong.Count == 0, $"{wrong.Count} windows differ, e.g. {string.Join("; ", wrong.Take(3))}");
        foreach (var partition in Enumerable.Range(0, Partitions))
        {
            using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = Cluster.BootstrapServers, GroupId = "watermarks" }).Build();
            Assert.Equal(0, consumer.QueryWatermarkOffsets(new TopicPartition(_topics.DomainEvents, partition), TimeSpan.FromSeconds(10)).Low.Value);
        }
    }

    public void Dispose()
    {
        foreach (var process in _processes)
        {
            process.Dispose();
        }

        Cluster.Dispose();
    }
}
