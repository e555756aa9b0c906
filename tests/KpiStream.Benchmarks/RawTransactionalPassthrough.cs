using System.Diagnostics;
using Confluent.Kafka;
using KpiStream.EmbeddedKafka;

namespace KpiStream.Benchmarks;

/// <summary>
/// The baseline: consume → produce the same bytes → commit offsets, in transactions on the same
/// commit interval as KpiStream, with no decoding, state or logic. What KpiStream is measured against.
/// Runs as many copy loops as KpiStream runs stream threads, each with its own consumer and
/// transactional producer, so both sides have the same parallelism; copies in phases (a warm-up,
/// then the timed input), as KpiStream does. Partitions are assigned to loops by hand: nothing here
/// needs group management, and a late join would rebalance during the timed phase.
/// </summary>
internal sealed class RawTransactionalPassthrough : IDisposable
{
    private readonly List<CopyLoop> _loops;
    private long _copied;

    public RawTransactionalPassthrough(string bootstrap, string inputTopic, int partitions, string outputTopic, TimeSpan commitInterval, int loops, string group)
    {
        _loops = [.. Enumerable.Range(0, loops).Select(_ => new CopyLoop(bootstrap, outputTopic, commitInterval, group))];
        for (var loop = 0; loop < loops; loop++)
        {
            _loops[loop].Assign([.. Enumerable.Range(0, partitions).Where(p => p % loops == loop).Select(p => new TopicPartitionOffset(inputTopic, p, Offset.Beginning))]);
        }
    }

    /// <summary>
    /// Copies until <paramref name="total"/> records have been copied since the start, counting every
    /// phase (loops stop on a shared count, so one may copy a record past a phase's end); the rate is
    /// of this phase's records, timed from the first of them.
    /// </summary>
    public double CopyUntil(long total)
    {
        var before = Interlocked.Read(ref _copied);
        var started = new long[_loops.Count];
        var tasks = _loops.Select((loop, i) => Task.Factory.StartNew(
            () => started[i] = loop.Copy(() => Interlocked.Read(ref _copied) >= total, () => Interlocked.Increment(ref _copied)),
            TaskCreationOptions.LongRunning)).ToArray();
        Task.WaitAll(tasks);
        var ended = Stopwatch.GetTimestamp();
        var first = started.Where(t => t > 0).Min();
        return (Interlocked.Read(ref _copied) - before) / Stopwatch.GetElapsedTime(first, ended).TotalSeconds;
    }

    public void Dispose()
    {
        foreach (var loop in _loops)
        {
            loop.Dispose();
        }
    }

    private sealed class CopyLoop : IDisposable
    {
        private readonly string _outputTopic;
        private readonly TimeSpan _commitInterval;
        private readonly IConsumer<byte[], byte[]> _consumer;
        private readonly IProducer<byte[], byte[]> _producer;
        private readonly Dictionary<TopicPartition, long> _positions = [];

        public CopyLoop(string bootstrap, string outputTopic, TimeSpan commitInterval, string group)
        {
            _outputTopic = outputTopic;
            _commitInterval = commitInterval;
            _consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
            {
                BootstrapServers = bootstrap,
                GroupId = group,
                AutoOffsetReset = AutoOffsetReset.Earliest,
                EnableAutoCommit = false,
                IsolationLevel = IsolationLevel.ReadCommitted,
                FetchWaitMaxMs = (int)EmbeddedKafkaCluster.ConsumerFetchWaitMax.TotalMilliseconds,
            }).Build();
            _producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig
            {
                BootstrapServers = bootstrap,
                TransactionalId = $"raw-passthrough-{Guid.NewGuid():N}",
                EnableIdempotence = true,
                LingerMs = 5,
            }).Build();
            _producer.InitTransactions(TimeSpan.FromSeconds(30));
        }

        public void Assign(IEnumerable<TopicPartitionOffset> partitions) => _consumer.Assign(partitions);

        /// <summary>Copies until <paramref name="done"/>; returns the timestamp of its first record (0 if it copied none).</summary>
        public long Copy(Func<bool> done, Action copied)
        {
            long first = 0;
            var lastCommit = Stopwatch.StartNew();
            var inTransaction = false;
            while (!done() || inTransaction)
            {
                var record = done() ? null : _consumer.Consume(TimeSpan.FromMilliseconds(100));
                if (record is not null)
                {
                    if (first == 0)
                    {
                        first = Stopwatch.GetTimestamp();
                    }

                    if (!inTransaction)
                    {
                        _producer.BeginTransaction();
                        inTransaction = true;
                    }

                    _producer.Produce(new TopicPartition(_outputTopic, record.Partition), new Message<byte[], byte[]> { Key = record.Message.Key, Value = record.Message.Value });
                    _positions[record.TopicPartition] = record.Offset.Value + 1;
                    copied();
                }

                if (inTransaction && (lastCommit.Elapsed >= _commitInterval || done()))
                {
                    _producer.Flush(Timeout.InfiniteTimeSpan);
                    _producer.SendOffsetsToTransaction(_positions.Select(p => new TopicPartitionOffset(p.Key, p.Value)), _consumer.ConsumerGroupMetadata, TimeSpan.FromSeconds(30));
                    _producer.CommitTransaction(TimeSpan.FromSeconds(30));
                    inTransaction = false;
                    lastCommit.Restart();
                }
            }

            return first;
        }

        public void Dispose()
        {
            _consumer.Close();
            _consumer.Dispose();
            _producer.Dispose();
        }
    }
}
