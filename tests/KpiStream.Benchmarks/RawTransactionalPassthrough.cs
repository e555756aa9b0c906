using System.Diagnostics;
using Confluent.Kafka;

namespace KpiStream.Benchmarks;

/// <summary>
/// The baseline: consume → produce the same bytes → commit offsets, in transactions on the same
/// commit interval as KpiStream, with no decoding, state or logic. What KpiStream is measured against.
/// One consumer and producer copy in phases (a warm-up, then the timed input), as KpiStream does.
/// </summary>
internal sealed class RawTransactionalPassthrough : IDisposable
{
    private readonly string _outputTopic;
    private readonly TimeSpan _commitInterval;
    private readonly IConsumer<byte[], byte[]> _consumer;
    private readonly IProducer<byte[], byte[]> _producer;
    private readonly Dictionary<TopicPartition, long> _positions = [];

    public RawTransactionalPassthrough(string bootstrap, string inputTopic, string outputTopic, TimeSpan commitInterval)
    {
        _outputTopic = outputTopic;
        _commitInterval = commitInterval;
        _consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = "raw-passthrough",
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
            IsolationLevel = IsolationLevel.ReadCommitted,
            PartitionAssignmentStrategy = PartitionAssignmentStrategy.CooperativeSticky,
        }).Build();
        _producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig
        {
            BootstrapServers = bootstrap,
            TransactionalId = $"raw-passthrough-{Guid.NewGuid():N}",
            EnableIdempotence = true,
            LingerMs = 5,
        }).Build();
        _producer.InitTransactions(TimeSpan.FromSeconds(30));
        _consumer.Subscribe(inputTopic);
    }

    /// <summary>Copies the next <paramref name="records"/> input records; the rate is timed from the first of them.</summary>
    public (double EventsPerSecond, TimeSpan Elapsed) Copy(long records)
    {
        long copied = 0;
        Stopwatch? clock = null;
        var lastCommit = Stopwatch.StartNew();
        var inTransaction = false;
        while (copied < records || inTransaction)
        {
            var record = copied < records ? _consumer.Consume(TimeSpan.FromMilliseconds(100)) : null;
            if (record is not null)
            {
                clock ??= Stopwatch.StartNew();
                if (!inTransaction)
                {
                    _producer.BeginTransaction();
                    inTransaction = true;
                }

                _producer.Produce(new TopicPartition(_outputTopic, record.Partition), new Message<byte[], byte[]> { Key = record.Message.Key, Value = record.Message.Value });
                _positions[record.TopicPartition] = record.Offset.Value + 1;
                copied++;
            }

            if (inTransaction && (lastCommit.Elapsed >= _commitInterval || copied >= records))
            {
                _producer.Flush(Timeout.InfiniteTimeSpan);
                _producer.SendOffsetsToTransaction(_positions.Select(p => new TopicPartitionOffset(p.Key, p.Value)), _consumer.ConsumerGroupMetadata, TimeSpan.FromSeconds(30));
                _producer.CommitTransaction(TimeSpan.FromSeconds(30));
                inTransaction = false;
                lastCommit.Restart();
            }
        }

        return (copied / clock!.Elapsed.TotalSeconds, clock.Elapsed);
    }

    public void Dispose()
    {
        _consumer.Close();
        _consumer.Dispose();
        _producer.Dispose();
    }
}
