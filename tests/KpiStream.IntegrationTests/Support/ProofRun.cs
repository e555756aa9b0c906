using System.Globalization;
using Confluent.Kafka;
using KpiStream.EmbeddedKafka;
using KpiStream.Processor.Conventions;
using KpiStream.Processor.Hosting;
using KpiStream.TestSupport;

namespace KpiStream.IntegrationTests.Support;

/// <summary>
/// One exactly-once proof run: a fresh embedded cluster, a seeded input of many sessions, processor
/// processes started and stopped by the scenario, and the output compared with the oracle.
/// </summary>
public sealed class ProofRun : IDisposable
{
    public const string ApplicationId = "proof";
    public const int Partitions = 6;
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(4);
    private const int OutputLinesShown = 60;
    private readonly string _config = SampleJourneys.WriteToTempFile();
    private readonly List<KpiProcess> _processes = [];
    private readonly TopicNames _topics = new();

    public ProofRun(int sessions, int seed, bool duplicateEverything = false)
    {
        Cluster = EmbeddedKafkaCluster.Start(brokerCount: 3);
        foreach (var topic in KpiStreamApp.TopicsFor(new RunOptions { ApplicationId = ApplicationId, InputPartitions = Partitions, ConfigPath = _config }))
        {
            Cluster.CreateTopic(topic.Name, topic.Partitions, 3);
        }

        Input = new SyntheticInput(sessions, seed, TimeSpan.FromMinutes(15), Partitions, duplicateEverything);
    }

    public EmbeddedKafkaCluster Cluster { get; }

    public SyntheticInput Input { get; }

    public void ProduceInput() => Input.Produce(Cluster.BootstrapServers, _topics.DomainEvents);

    /// <param name="streamThreads">The instance's stream threads, each its own group member.</param>
    /// <param name="metricsPort">0 lets the system choose.</param>
    /// <param name="clientSettings">More librdkafka settings (<c>-X</c>), for its producers and consumers.</param>
    public KpiProcess StartProcessor(int streamThreads = 1, int metricsPort = 0, params string[] clientSettings)
    {
        var process = KpiProcess.Start(
            [
                "run", "--bootstrap-servers", Cluster.BootstrapServers, "--application-id", ApplicationId, "--config", _config,
                "--grace", "10s", "--metrics-port", metricsPort.ToString(CultureInfo.InvariantCulture), "--no-live-view",
                "--stream-threads", streamThreads.ToString(CultureInfo.InvariantCulture),
                "-X", "session.timeout.ms=6000", "-X", "heartbeat.interval.ms=500",
                .. clientSettings.SelectMany(setting => new[] { "-X", setting }),
            ],
            new Dictionary<string, string> { [RunOptions.PseudonymizationKeyVariable] = "proof-run-key-0123456789" });
        _processes.Add(process);
        return process;
    }

    /// <summary>Waits until kpi.windowed holds as many windows as expected, then returns all its records; on timeout, says which windows differ.</summary>
    public async Task<IReadOnlyList<ConsumeResult<byte[]?, byte[]?>>> WaitForOutputAsync()
    {
        try
        {
            return await TopicReader.WaitUntilAsync(
                Cluster.BootstrapServers,
                _topics.KpiWindowed,
                r => KpiTableComparison.DistinctInputWindows(r) >= Input.Expected.Count,
                Timeout,
                $"all {Input.Expected.Count} expected windows");
        }
        catch (TimeoutException e)
        {
            var problems = KpiTableComparison.Differences(Input.Expected, TopicReader.ReadAll(Cluster.BootstrapServers, _topics.KpiWindowed));
            throw new TimeoutException($"{e.Message} {problems.Count} differences, e.g. {string.Join("; ", problems.Take(8))}{ProcessorOutput()}", e);
        }
    }

    /// <summary>The end of each processor's log, for a failure to show what the processors were doing.</summary>
    private string ProcessorOutput() =>
        string.Concat(_processes.Select((process, index) =>
            $"\nprocessor {index + 1} {process.LastOutput(OutputLinesShown)}"));

    /// <summary>On a proof-sized input (at least 50,000 events), <see cref="AssertTheOracle"/>.</summary>
    public void AssertExactlyTheOracle(IReadOnlyList<ConsumeResult<byte[]?, byte[]?>> records)
    {
        Assert.True(Input.Events.Count >= 50_000, $"proof inputs need at least 50,000 events, got {Input.Events.Count}");
        AssertTheOracle(records);
    }

    /// <summary>Asserts the output, read as a table, equals the oracle, every record of one identity is identical, and the broker dropped no input.</summary>
    public void AssertTheOracle(IReadOnlyList<ConsumeResult<byte[]?, byte[]?>> records)
    {
        var problems = KpiTableComparison.Differences(Input.Expected, records);
        Assert.True(problems.Count == 0, $"{problems.Count} problems, e.g. {string.Join("; ", problems.Take(5))}");
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = Cluster.BootstrapServers, GroupId = "watermarks" }).Build();
        foreach (var partition in Enumerable.Range(0, Partitions))
        {
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
