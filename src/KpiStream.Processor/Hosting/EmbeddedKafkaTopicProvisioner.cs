using KpiStream.EmbeddedKafka;
using KpiStream.Streaming.Provisioning;

namespace KpiStream.Processor.Hosting;

/// <summary>Creates topics through the mock cluster's own API: it has no CreateTopics admin API.</summary>
public sealed class EmbeddedKafkaTopicProvisioner(EmbeddedKafkaCluster cluster) : ITopicProvisioner
{
    // A broker's own default.replication.factor.
    private const int DefaultReplicationFactor = 1;

    public Task EnsureAsync(IReadOnlyList<TopicSpec> topics, CancellationToken cancellationToken)
    {
        foreach (var topic in topics)
        {
            cluster.CreateTopic(topic.Name, topic.Partitions, topic.ReplicationFactor == TopicSpec.BrokerDefault ? DefaultReplicationFactor : topic.ReplicationFactor);
        }

        return Task.CompletedTask;
    }

    /// <summary>The development broker takes records of any size: only the producer's own limit applies.</summary>
    public Task<int?> MaxMessageBytesAsync(string topic, CancellationToken cancellationToken) => Task.FromResult<int?>(null);
}
