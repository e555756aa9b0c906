using Confluent.Kafka;

namespace KpiStream.TestSupport;

/// <summary>Reads whole topics from a broker, as an independent consumer outside any group.</summary>
public static class TopicReader
{
    /// <summary>Throws unless every partition of <paramref name="topics"/> still starts at offset 0, i.e. the development broker dropped nothing.</summary>
    public static void EnsureNothingDropped(string bootstrapServers, IEnumerable<string> topics)
    {
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig { BootstrapServers = bootstrapServers, GroupId = $"reader-{Guid.NewGuid():N}" }).Build();
        using var admin = new DependentAdminClientBuilder(consumer.Handle).Build();
        foreach (var topic in topics)
        {
            foreach (var partition in admin.GetMetadata(topic, TimeSpan.FromSeconds(10)).Topics.Single().Partitions)
            {
                var topicPartition = new TopicPartition(topic, partition.PartitionId);
                EnsureStartsAtZero(topicPartition, consumer.QueryWatermarkOffsets(topicPartition, TimeSpan.FromSeconds(10)));
            }
        }
    }

    private static void EnsureStartsAtZero(TopicPartition partition, WatermarkOffsets watermarks)
    {
        if (watermarks.Low.Value != 0)
        {
            throw new InvalidOperationException($"{partition} starts at offset {watermarks.Low}: the development broker dropped records, results would be incomplete.");
        }
    }

    /// <summary>All records currently in <paramref name="topic"/>, partition by partition.</summary>
    public static IReadOnlyList<ConsumeResult<byte[]?, byte[]?>> ReadAll(string bootstrapServers, string topic)
    {
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = $"reader-{Guid.NewGuid():N}",
            EnableAutoCommit = false,
            IsolationLevel = IsolationLevel.ReadCommitted,
        }).Build();
        using var admin = new DependentAdminClientBuilder(consumer.Handle).Build();
        var partitions = admin.GetMetadata(topic, TimeSpan.FromSeconds(10)).Topics.Single().Partitions.Select(p => new TopicPartition(topic, p.PartitionId)).ToList();
        var records = new List<ConsumeResult<byte[]?, byte[]?>>();
        foreach (var partition in partitions)
        {
            var watermarks = consumer.QueryWatermarkOffsets(partition, TimeSpan.FromSeconds(10));
            EnsureStartsAtZero(partition, watermarks);
            if (watermarks.High.Value == 0)
            {
                continue;
            }

            consumer.Assign(new TopicPartitionOffset(partition, Offset.Beginning));
            var deadline = DateTime.UtcNow.AddSeconds(30);

            // The last offset may be a transaction marker, which is never returned: watch the position.
            while (consumer.Position(partition).Value < watermarks.High.Value && DateTime.UtcNow < deadline)
            {
                if (consumer.Consume(TimeSpan.FromMilliseconds(100)) is { } consumed)
                {
                    records.Add(consumed);
                }
            }

            consumer.Unassign();
        }

        return records;
    }

    /// <summary>Reads <paramref name="topic"/> until <paramref name="done"/> holds for its records, or fails after <paramref name="timeout"/>.</summary>
    public static async Task<IReadOnlyList<ConsumeResult<byte[]?, byte[]?>>> WaitUntilAsync(
        string bootstrapServers, string topic, Func<IReadOnlyList<ConsumeResult<byte[]?, byte[]?>>, bool> done, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var records = ReadAll(bootstrapServers, topic);
            if (done(records))
            {
                return records;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"After {timeout}, {topic} ({records.Count} records) still does not show {what}.");
            }

            await Task.Delay(250);
        }
    }
}
