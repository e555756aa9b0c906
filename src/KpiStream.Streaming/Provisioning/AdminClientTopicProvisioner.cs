using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Microsoft.Extensions.Logging;

namespace KpiStream.Streaming.Provisioning;

/// <summary>
/// Creates missing topics through the Kafka Admin API and refuses existing ones with the wrong
/// partition count, once <see cref="ClusterMetadataReader"/> has reached the cluster.
/// </summary>
public sealed class AdminClientTopicProvisioner(IReadOnlyDictionary<string, string> clientConfig, TimeSpan reachTimeout, ILogger<AdminClientTopicProvisioner> logger) : ITopicProvisioner
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    // A broker answers in milliseconds; one without the API (the development broker) never answers, and start-up should not wait long for it.
    private static readonly TimeSpan DescribeTimeout = TimeSpan.FromSeconds(3);

    private readonly ClusterMetadataReader _cluster = new(clientConfig, reachTimeout, logger);

    public async Task EnsureAsync(IReadOnlyList<TopicSpec> topics, CancellationToken cancellationToken)
    {
        using var admin = _cluster.NewAdminClient();
        var metadata = await _cluster.ReadAsync(admin, cancellationToken).ConfigureAwait(false);
        var existing = metadata.Topics.Where(t => t.Error.Code == ErrorCode.NoError).ToDictionary(t => t.Topic, t => t.Partitions.Count, StringComparer.Ordinal);
        foreach (var topic in topics.Where(t => existing.ContainsKey(t.Name)))
        {
            if (existing[topic.Name] != topic.Partitions)
            {
                throw new ProvisioningException(
                    $"Topic '{topic.Name}' has {existing[topic.Name]} partitions, KpiStream is configured for {topic.Partitions} (--partitions); align the option or the topic.");
            }
        }

        var missing = topics.Where(t => !existing.ContainsKey(t.Name)).ToList();
        if (missing.Count == 0)
        {
            return;
        }

        try
        {
            await admin.CreateTopicsAsync(missing.Select(t => new TopicSpecification
            {
                Name = t.Name,
                NumPartitions = t.Partitions,
                ReplicationFactor = t.ReplicationFactor,
                Configs = t.Configs?.ToDictionary(),
            })).WaitAsync(Timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (CreateTopicsException e) when (e.Results.All(r => r.Error.Code is ErrorCode.NoError or ErrorCode.TopicAlreadyExists))
        {
            // Another instance created them first.
        }
        catch (Exception e) when (e is KafkaException or TimeoutException)
        {
            throw new ProvisioningException($"Could not create topics {string.Join(", ", missing.Select(t => t.Name))} at {_cluster.Servers}: {e.Message}", e);
        }

        logger.LogInformation("Created topics {Topics}", string.Join(", ", missing.Select(t => $"{t.Name}({t.Partitions})")));
    }

    public async Task<int?> MaxMessageBytesAsync(string topic, CancellationToken cancellationToken)
    {
        using var admin = _cluster.NewAdminClient();
        try
        {
            var described = await admin.DescribeConfigsAsync([new ConfigResource { Type = ResourceType.Topic, Name = topic }], new DescribeConfigsOptions { RequestTimeout = DescribeTimeout })
                .WaitAsync(DescribeTimeout + TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
            return described.Single().Entries.TryGetValue("max.message.bytes", out var entry) && int.TryParse(entry.Value, System.Globalization.CultureInfo.InvariantCulture, out var bytes)
                ? bytes
                : null;
        }
        catch (Exception e) when (e is KafkaException or TimeoutException)
        {
            logger.LogWarning("Could not read max.message.bytes of {Topic} ({Reason}); dead letters are sized by the producer's message.max.bytes only", topic, e.Message);
            return null;
        }
    }
}
