namespace KpiStream.Streaming.Provisioning;

/// <summary>Makes sure topics exist with the expected partition counts, or says why they cannot.</summary>
public interface ITopicProvisioner
{
    Task EnsureAsync(IReadOnlyList<TopicSpec> topics, CancellationToken cancellationToken);
}
