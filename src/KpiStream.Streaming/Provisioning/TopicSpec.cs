namespace KpiStream.Streaming.Provisioning;

/// <summary>A topic the application needs, with its partition count, replication factor and topic-level configs (e.g. cleanup.policy).</summary>
/// <param name="ReplicationFactor"><see cref="BrokerDefault"/> leaves it to the cluster's <c>default.replication.factor</c>.</param>
public sealed record TopicSpec(string Name, int Partitions, short ReplicationFactor = TopicSpec.BrokerDefault, IReadOnlyDictionary<string, string>? Configs = null)
{
    /// <summary>The replication factor CreateTopics reads as the cluster's default (Kafka 2.4 and later, KIP-464), as Kafka Streams' replication.factor of -1 does.</summary>
    public const short BrokerDefault = -1;
}
