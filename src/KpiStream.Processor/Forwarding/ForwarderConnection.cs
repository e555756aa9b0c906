using Confluent.Kafka;
using KpiStream.Streaming.Provisioning;

namespace KpiStream.Processor.Forwarding;

/// <summary>The forwarder's ends: a read_committed consumer of kpi.alerts in its own group, and an HTTP client for Alertmanager.</summary>
public sealed class ForwarderConnection(IReadOnlyDictionary<string, string> clientConfig, ClusterMetadataReader cluster, string alertsTopic, string groupId, AlertmanagerOptions alertmanager) : IDisposable
{
    private static readonly TimeSpan TopicPoll = TimeSpan.FromSeconds(2);

    // Looked up once: `alerts forward` checks it before it listens, and the forwarder then starts from the same answer.
    private Task<IReadOnlyList<TopicPartition>>? _partitions;

    public HttpClient Http { get; } = new(alertmanager.Trust?.CreateHandler() ?? new SocketsHttpHandler()) { Timeout = alertmanager.RequestTimeout };

    public IConsumer<byte[]?, byte[]?> CreateConsumer() =>
        new ConsumerBuilder<byte[]?, byte[]?>(new Dictionary<string, string>(clientConfig)
        {
            ["group.id"] = groupId,
            ["isolation.level"] = "read_committed",
            ["enable.partition.eof"] = "true",
            ["auto.offset.reset"] = "earliest",
            // Positions are committed for lag tooling only: every start reads the topic from its beginning.
            ["enable.auto.commit"] = "true",
            ["enable.auto.offset.store"] = "false",
        }).Build();

    /// <summary>
    /// Every partition of kpi.alerts: each forwarder reads them all, so replicas send the same alerts (Alertmanager deduplicates).
    /// A forwarder deployed beside a processor may start first, so a missing topic is waited for, up to the start-up timeout;
    /// a cluster that refuses the credentials, or cannot be reached, fails at once or at that timeout (<see cref="ClusterMetadataReader"/>).
    /// The first call looks; later ones get its answer.
    /// </summary>
    public Task<IReadOnlyList<TopicPartition>> PartitionsAsync(CancellationToken cancellationToken) =>
        _partitions ??= FindPartitionsAsync(cancellationToken);

    private async Task<IReadOnlyList<TopicPartition>> FindPartitionsAsync(CancellationToken cancellationToken)
    {
        using var admin = cluster.NewAdminClient();
        var deadline = DateTime.UtcNow + cluster.ReachTimeout;
        while (true)
        {
            var metadata = await cluster.ReadAsync(admin, cancellationToken).ConfigureAwait(false);
            if (metadata.Topics.SingleOrDefault(t => t.Topic == alertsTopic && !t.Error.IsError) is { } topic)
            {
                return [.. topic.Partitions.Select(p => new TopicPartition(alertsTopic, p.PartitionId))];
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new ProvisioningException(
                    $"Topic '{alertsTopic}' does not exist at {cluster.Servers} after {cluster.ReachTimeout.TotalSeconds:0} s (--startup-timeout); the processor creates it when it starts: start it first, or check --topic-prefix.");
            }

            await Task.Delay(TopicPoll, cancellationToken).ConfigureAwait(false);
        }
    }

    public void Dispose() => Http.Dispose();
}
