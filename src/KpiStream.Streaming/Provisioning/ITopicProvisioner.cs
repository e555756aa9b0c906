namespace KpiStream.Streaming.Provisioning;

/// <summary>Makes sure topics exist with the expected partition counts, or says why they cannot.</summary>
public interface ITopicProvisioner
{
    Task EnsureAsync(IReadOnlyList<TopicSpec> topics, CancellationToken cancellationToken);

    /// <summary>The topic's <c>max.message.bytes</c>, the largest record batch its brokers accept; null where the cluster cannot tell (the development broker has no limit of its own).</summary>
    Task<int?> MaxMessageBytesAsync(string topic, CancellationToken cancellationToken);
}
