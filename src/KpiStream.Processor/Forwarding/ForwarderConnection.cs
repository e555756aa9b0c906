using Confluent.Kafka;

namespace KpiStream.Processor.Forwarding;

/// <summary>The forwarder's ends: a read_committed consumer of kpi.alerts in its own group, and an HTTP client for Alertmanager.</summary>
public sealed class ForwarderConnection(IReadOnlyDictionary<string, string> clientConfig, string alertsTopic, string groupId, TimeSpan requestTimeout) : IDisposable
{
    public HttpClient Http { get; } = new() { Timeout = requestTimeout };

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

    /// <summary>Every partition of kpi.alerts: each forwarder reads them all, so replicas send the same alerts (Alertmanager deduplicates).</summary>
    public IReadOnlyList<TopicPartition> Partitions()
    {
        using var admin = new AdminClientBuilder(clientConfig).Build();
        var topic = admin.GetMetadata(alertsTopic, TimeSpan.FromSeconds(30)).Topics.Single();
        if (topic.Error.IsError)
        {
            throw new KafkaException(topic.Error);
        }

        return [.. topic.Partitions.Select(p => new TopicPartition(alertsTopic, p.PartitionId))];
    }

    public void Dispose() => Http.Dispose();
}
