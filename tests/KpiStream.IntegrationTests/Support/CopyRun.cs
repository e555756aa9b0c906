using System.Text;
using Confluent.Kafka;
using KpiStream.EmbeddedKafka;
using KpiStream.Streaming.Runtime;
using KpiStream.Streaming.Topologies;
using KpiStream.TestSupport;

namespace KpiStream.IntegrationTests.Support;

/// <summary>
/// The smallest topology the streaming runtime runs, input copied to output, on a fresh embedded
/// cluster: for tests of the runtime itself rather than of KPIs. Its only state is the checkpoint store.
/// </summary>
public sealed class CopyRun : IDisposable
{
    public const string ApplicationId = "copy";
    public const string Input = "copy-input";
    public const string Output = "copied";
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private readonly string _stateDirectory = Directory.CreateTempSubdirectory("kpistream-copy-").FullName;
    private readonly int _partitions;

    /// <param name="partitions">Of the input and so of every changelog.</param>
    public CopyRun(int partitions = 1)
    {
        _partitions = partitions;
        Topology = new TopologyBuilder()
            .AddSource("source", Input)
            .AddSink<byte[]?, byte[]?>("sink", Output, key => key, value => value, "source")
            .Build();
        foreach (var changelog in Topology.ChangelogTopics(ApplicationId, _ => partitions))
        {
            Cluster.CreateTopic(changelog.Name, changelog.Partitions);
        }

        Cluster.CreateTopic(Output, 1);
    }

    public EmbeddedKafkaCluster Cluster { get; } = EmbeddedKafkaCluster.Start(initialRebalanceDelay: TimeSpan.FromMilliseconds(100));

    public Topology Topology { get; }

    /// <summary>The one store a task has.</summary>
    public string CheckpointStore => Topology.SubTopologyOf(Input).CheckpointStore;

    /// <summary>The checkpoint store's changelog, the one topic a restore reads.</summary>
    public string CheckpointChangelog => Streaming.Topologies.Topology.ChangelogTopic(ApplicationId, CheckpointStore);

    /// <param name="clientConfig">librdkafka settings on top of the run's own.</param>
    public StreamsOptions Options(IReadOnlyDictionary<string, string>? clientConfig = null) => new()
    {
        ApplicationId = ApplicationId,
        BootstrapServers = Cluster.BootstrapServers,
        StateDirectory = _stateDirectory,
        // As the processor asks of the development broker, which answers a fetch only when its wait runs out.
        FetchWaitMax = EmbeddedKafkaCluster.ConsumerFetchWaitMax,
        // A member joining after another left waits for the group's rebalance, which the development broker
        // stretches to the session timeout (45 s by default).
        ClientConfig = new Dictionary<string, string>(clientConfig ?? new Dictionary<string, string>())
        {
            ["session.timeout.ms"] = "6000",
            ["heartbeat.interval.ms"] = "500",
        },
    };

    public void CreateInput() => Cluster.CreateTopic(Input, _partitions);

    /// <summary>Produces each value as a record of that key and value; the key chooses the partition.</summary>
    public void ProduceInput(params string[] values) => Produce(new TopicPartition(Input, Partition.Any), values.Select(v => (v, v)));

    /// <summary>Produces each value as a record of that key and value to one partition of the input.</summary>
    public void ProduceInputTo(int partition, IEnumerable<string> values) => Produce(new TopicPartition(Input, partition), values.Select(v => (v, v)));

    /// <summary>Produces records of these keys and values to one partition of any topic.</summary>
    public void Produce(TopicPartition partition, IEnumerable<(string Key, string Value)> records)
    {
        using var producer = new ProducerBuilder<byte[]?, byte[]?>(new ProducerConfig { BootstrapServers = Cluster.BootstrapServers, LingerMs = 20 }).Build();
        foreach (var (key, value) in records)
        {
            producer.Produce(partition, new Message<byte[]?, byte[]?> { Key = Encoding.UTF8.GetBytes(key), Value = Encoding.UTF8.GetBytes(value) });
        }

        producer.Flush(Timeout);
    }

    /// <summary>The output's values, once it holds at least <paramref name="count"/> records.</summary>
    public async Task<IReadOnlyList<string>> CopiedAsync(int count)
    {
        var copied = await TopicReader.WaitUntilAsync(Cluster.BootstrapServers, Output, records => records.Count >= count, Timeout, $"{count} copied records");
        return [.. copied.Select(r => Encoding.UTF8.GetString(r.Message.Value!))];
    }

    public void Dispose()
    {
        Cluster.Dispose();
        Directory.Delete(_stateDirectory, recursive: true);
    }
}
