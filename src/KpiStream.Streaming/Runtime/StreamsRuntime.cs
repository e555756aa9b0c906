using System.Diagnostics;
using Confluent.Kafka;
using KpiStream.Streaming.Processors;
using Microsoft.Extensions.Logging;

namespace KpiStream.Streaming.Runtime;

/// <summary>
/// Runs a topology in one consumer group: one task per assigned partition of each sub-topology,
/// a single producer for all sinks, and a commit every <see cref="StreamsOptions.CommitInterval"/>
/// that first flushes what was produced and then commits the offsets of what was processed
/// (at-least-once; outputs are upserts with deterministic identities).
/// </summary>
public sealed class StreamsRuntime : IRecordOutput, IDisposable
{
    private readonly Topology.Topology _topology;
    private readonly StreamsOptions _options;
    private readonly IRuntimeObserver _observer;
    private readonly TimeProvider _clock;
    private readonly ILogger<StreamsRuntime> _logger;
    private readonly Dictionary<TopicPartition, StreamTask> _tasks = [];
    private readonly Dictionary<TopicPartition, long> _processed = [];
    private readonly Dictionary<string, int> _partitionCounts = new(StringComparer.Ordinal);
    private IProducer<byte[]?, byte[]?>? _producer;
    private IConsumer<byte[]?, byte[]?>? _consumer;
    private Exception? _deliveryError;

    public StreamsRuntime(Topology.Topology topology, StreamsOptions options, IRuntimeObserver observer, TimeProvider clock, ILogger<StreamsRuntime> logger)
    {
        options.Validate();
        _topology = topology;
        _options = options;
        _observer = observer;
        _clock = clock;
        _logger = logger;
    }

    public StreamsState State { get; private set; } = StreamsState.Created;

    /// <summary>Runs the processing loop on a dedicated thread until <paramref name="cancellationToken"/> is cancelled.</summary>
    public Task RunAsync(CancellationToken cancellationToken) =>
        Task.Factory.StartNew(() => Run(cancellationToken), cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    public void Dispose()
    {
        _consumer?.Dispose();
        _producer?.Dispose();
    }

    private void Run(CancellationToken cancellationToken)
    {
        try
        {
            _producer = new ProducerBuilder<byte[]?, byte[]?>(ProducerConfig()).Build();
            _consumer = new ConsumerBuilder<byte[]?, byte[]?>(ConsumerConfig())
                .SetPartitionsAssignedHandler((_, partitions) => Assign(partitions))
                .SetPartitionsRevokedHandler((_, partitions) => Revoke(partitions.Select(p => p.TopicPartition).ToList(), commit: true))
                .SetPartitionsLostHandler((_, partitions) => Revoke(partitions.Select(p => p.TopicPartition).ToList(), commit: false))
                .Build();
            State = StreamsState.Starting;
            _consumer.Subscribe(_topology.SourceTopics);
            _logger.LogInformation("Streams runtime {ApplicationId} subscribed to {Topics}", _options.ApplicationId, string.Join(", ", _topology.SourceTopics));
            Loop(cancellationToken);
            Commit();
            _consumer.Close();
            State = StreamsState.Stopped;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            State = StreamsState.Failed;
            _logger.LogCritical(e, "Streams runtime {ApplicationId} failed", _options.ApplicationId);
            throw;
        }
        finally
        {
            foreach (var task in _tasks.Values)
            {
                task.Dispose();
            }

            _tasks.Clear();
        }
    }

    private void Loop(CancellationToken cancellationToken)
    {
        var lastCommit = _clock.GetTimestamp();
        while (!cancellationToken.IsCancellationRequested)
        {
            var batchStart = _clock.GetTimestamp();
            var count = 0;
            var consumed = _consumer!.Consume(_options.PollTimeout);
            while (consumed is not null)
            {
                ProcessOne(consumed);
                if (++count >= _options.MaxBatchSize)
                {
                    break;
                }

                consumed = _consumer.Consume(TimeSpan.Zero);
            }

            if (count > 0)
            {
                _observer.BatchProcessed(count, _clock.GetElapsedTime(batchStart));
            }

            var now = _clock.GetUtcNow();
            foreach (var task in _tasks.Values)
            {
                task.Punctuate(PunctuationType.WallClockTime, now);
            }

            if (_clock.GetElapsedTime(lastCommit) >= _options.CommitInterval)
            {
                Commit();
                lastCommit = _clock.GetTimestamp();
            }
        }
    }

    private void ProcessOne(ConsumeResult<byte[]?, byte[]?> consumed)
    {
        _observer.RecordConsumed(consumed.Topic);
        if (!_tasks.TryGetValue(consumed.TopicPartition, out var task))
        {
            _logger.LogWarning("Record from unassigned {TopicPartition}; skipped", consumed.TopicPartition);
            return;
        }

        task.Process(consumed);
        _processed[consumed.TopicPartition] = consumed.Offset.Value;
    }

    private void Commit()
    {
        if (_producer is null || _consumer is null)
        {
            return;
        }

        var started = _clock.GetTimestamp();
        foreach (var task in _tasks.Values)
        {
            task.BeforeCommit();
        }

        _producer.Flush(Timeout.InfiniteTimeSpan);
        if (_deliveryError is not null)
        {
            throw new KafkaException(new Error(ErrorCode.Local_Fail, $"A produced record was not delivered: {_deliveryError.Message}"));
        }

        if (_processed.Count == 0)
        {
            return;
        }

        _consumer.Commit(_processed.Select(p => new TopicPartitionOffset(p.Key, new Offset(p.Value + 1))));
        foreach (var (partition, offset) in _processed)
        {
            var watermarks = _consumer.GetWatermarkOffsets(partition);
            if (watermarks.High != Offset.Unset)
            {
                _observer.Lag(partition.Topic, partition.Partition.Value, Math.Max(0, watermarks.High.Value - offset - 1));
            }
        }

        _processed.Clear();
        _observer.Committed(_clock.GetElapsedTime(started));
    }

    private void Assign(List<TopicPartition> partitions)
    {
        foreach (var partition in partitions)
        {
            var subTopology = _topology.SubTopologyOf(partition.Topic);
            _tasks[partition] = new StreamTask(new TaskId(subTopology.Id, partition.Partition.Value), subTopology, _topology, this, _clock);
        }

        State = StreamsState.Running;
        _observer.TasksChanged(_tasks.Count);
        _logger.LogInformation("Assigned {Partitions}; {Tasks} tasks now", string.Join(", ", partitions), _tasks.Count);
    }

    private void Revoke(List<TopicPartition> partitions, bool commit)
    {
        if (commit)
        {
            Commit();
        }

        foreach (var partition in partitions)
        {
            if (_tasks.Remove(partition, out var task))
            {
                task.Dispose();
            }

            _processed.Remove(partition);
        }

        _observer.TasksChanged(_tasks.Count);
        _logger.LogInformation("Revoked {Partitions} ({Mode}); {Tasks} tasks now", string.Join(", ", partitions), commit ? "committed" : "lost", _tasks.Count);
    }

    void IRecordOutput.Send(OutgoingRecord record)
    {
        var message = new Message<byte[]?, byte[]?>
        {
            Key = record.Key,
            Value = record.Value,
            Timestamp = new Timestamp(record.Timestamp),
            Headers = ToKafkaHeaders(record),
        };
        while (true)
        {
            try
            {
                if (record.Partition is { } partition)
                {
                    _producer!.Produce(new TopicPartition(record.Topic, partition), message, OnDelivered);
                }
                else
                {
                    _producer!.Produce(record.Topic, message, OnDelivered);
                }

                return;
            }
            catch (ProduceException<byte[]?, byte[]?> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
            {
                // Back-pressure: serve delivery reports until the queue has room.
                _producer!.Poll(TimeSpan.FromMilliseconds(50));
            }
        }
    }

    int IRecordOutput.PartitionCount(string topic)
    {
        if (!_partitionCounts.TryGetValue(topic, out var count))
        {
            using var admin = new DependentAdminClientBuilder(_producer!.Handle).Build();
            var metadata = admin.GetMetadata(topic, TimeSpan.FromSeconds(10)).Topics.Single();
            count = metadata.Error.Code == ErrorCode.NoError && metadata.Partitions.Count > 0
                ? metadata.Partitions.Count
                : throw new KafkaException(metadata.Error);
            _partitionCounts[topic] = count;
        }

        return count;
    }

    private void OnDelivered(DeliveryReport<byte[]?, byte[]?> report)
    {
        if (report.Error.IsError)
        {
            _deliveryError ??= new KafkaException(report.Error);
            return;
        }

        _observer.RecordProduced(report.Topic);
    }

    private static Headers? ToKafkaHeaders(OutgoingRecord record)
    {
        if (record.Headers.IsDefaultOrEmpty)
        {
            return null;
        }

        var headers = new Headers();
        foreach (var header in record.Headers)
        {
            headers.Add(header.Key, header.Value);
        }

        return headers;
    }

    private ProducerConfig ProducerConfig() => new(_options.ClientConfig.ToDictionary())
    {
        BootstrapServers = _options.BootstrapServers,
        EnableIdempotence = true,
        LingerMs = 5,
        ClientId = $"{_options.ApplicationId}-producer",
    };

    private ConsumerConfig ConsumerConfig() => new(_options.ClientConfig.ToDictionary())
    {
        BootstrapServers = _options.BootstrapServers,
        GroupId = _options.ApplicationId,
        ClientId = $"{_options.ApplicationId}-consumer",
        AutoOffsetReset = AutoOffsetReset.Earliest,
        EnableAutoCommit = false,
        EnablePartitionEof = false,
        IsolationLevel = IsolationLevel.ReadCommitted,
        PartitionAssignmentStrategy = PartitionAssignmentStrategy.CooperativeSticky,
    };
}
