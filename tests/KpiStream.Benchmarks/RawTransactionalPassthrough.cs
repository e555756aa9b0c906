using System.Diagnostics;
using Confluent.Kafka;

namespace KpiStream.Benchmarks;

/// <summary>
/// The baseline: consume → produce the same bytes → commit offsets, in transactions on the same
/// commit interval as KpiStream, with no decoding, state or logic. What KpiStream is measured against.
/// </summary>
internal static class RawTransactionalPassthrough
{
    public static (double EventsPerSecond, TimeSpan Elapsed) Run(string bootstrap, string inputTopic, string outputTopic, long expected, TimeSpan commitInterval)
    {
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = "raw-passthrough",
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
            IsolationLevel = IsolationLevel.ReadCommitted,
            PartitionAssignmentStrategy = PartitionAssignmentStrategy.CooperativeSticky,
        }).Build();
        using var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig
        {
            BootstrapServers = bootstrap,
            TransactionalId = $"raw-passthrough-{Guid.NewGuid():N}",
            EnableIdempotence = true,
            LingerMs = 5,
        }).Build();
        producer.InitTransactions(TimeSpan.FromSeconds(30));
        consumer.Subscribe(inputTopic);
        var positions = new Dictionary<TopicPartition, long>();
        long copied = 0;
        Stopwatch? clock = null;
        var lastCommit = Stopwatch.StartNew();
        var inTransaction = false;
        while (copied < expected || inTransaction)
        {
            var record = consumer.Consume(TimeSpan.FromMilliseconds(100));
            if (record is not null)
            {
                clock ??= Stopwatch.StartNew();
                if (!inTransaction)
                {
                    producer.BeginTransaction();
                    inTransaction = true;
                }

                producer.Produce(new TopicPartition(outputTopic, record.Partition), new Message<byte[], byte[]> { Key = record.Message.Key, Value = record.Message.Value });
                positions[record.TopicPartition] = record.Offset.Value + 1;
                copied++;
            }

            if (inTransaction && (lastCommit.Elapsed >= commitInterval || copied >= expected))
            {
                producer.Flush(Timeout.InfiniteTimeSpan);
                producer.SendOffsetsToTransaction(positions.Select(p => new TopicPartitionOffset(p.Key, p.Value)), consumer.ConsumerGroupMetadata, TimeSpan.FromSeconds(30));
                producer.CommitTransaction(TimeSpan.FromSeconds(30));
                inTransaction = false;
                lastCommit.Restart();
            }
        }

        consumer.Close();
        return (copied / clock!.Elapsed.TotalSeconds, clock.Elapsed);
    }
}
