using KpiStream.Streaming.Topologies;
using System.Runtime.InteropServices;
using System.Text;
using Confluent.Kafka;
using KpiStream.Streaming.Processors;
using KpiStream.Streaming.Stores;
using Microsoft.Extensions.Logging;

namespace KpiStream.Streaming.Runtime;

/// <summary>
/// One thread of a <see cref="StreamsRuntime"/>, modelled on Kafka Streams' stream thread: its own
/// consumer (a member of the application's group), its own transactional producer and the tasks of
/// the partitions assigned to it. Each commit is one Kafka transaction holding the outputs, the
/// state changes (changelogs) and the input positions, both as a checkpoint store and as group
/// offsets. A task resumes from its checkpoint, not from the group offsets, so recovery is exact
/// even where a broker does not store transactional offsets.
/// </summary>
/// <remarks>
/// Within a commit, outputs are flushed (acknowledged) first, then each store's changelog in
/// declaration order, then the checkpoint, each acknowledged before the next. Where aborted
/// transactions stay visible (the development broker), a crash therefore leaves a prefix of that
/// sequence, and the processors' per-entry applied offsets make replaying it harmless.
/// </remarks>
internal sealed class StreamThread : IRecordOutput, IDisposable
{
    private static readonly TimeSpan TransactionTimeout = TimeSpan.FromSeconds(30);

    // Seen once: minutes after a stream thread failed during a broker outage, the process had not exited and its
    // transactional producer's librdkafka main thread was spinning.
    private static readonly TimeSpan ClientDisposeTimeout = TimeSpan.FromSeconds(30);

    // A drained input commits after a poll of DrainedAfter finds nothing, but not sooner than DrainedCommitGap after the
    // last commit (Kafka Streams' commit interval under exactly-once), so a light, steady feed does not commit per batch.
    // Short, because stage 1's results reach stage 2 only at commits: the last windows of a burst wait for one drained
    // commit per stage, and one thread's commit hands the other thread more input, postponing its own.
    private static readonly TimeSpan DrainedAfter = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan DrainedCommitGap = TimeSpan.FromMilliseconds(100);

    // librdkafka's fetcher wakes by itself at least once a second: a wake-up that takes longer saves nothing.
    private static readonly TimeSpan FetcherWakeUpTimeout = TimeSpan.FromSeconds(1);
    private readonly Topology _topology;
    private readonly StreamsOptions _options;
    private readonly IRuntimeObserver _observer;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly string _clientId;
    private readonly Dictionary<TopicPartition, StreamTask> _tasks = [];
    private readonly Dictionary<TopicPartition, long> _processed = [];
    private readonly Dictionary<string, int> _partitionCounts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _consumedInBatch = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _producedInTransaction = new(StringComparer.Ordinal);
    private readonly string _stateDirectory;

    // One delegate for every produced record: a method group would allocate a new one per call.
    private readonly Action<DeliveryReport<byte[]?, byte[]?>> _onDelivered;
    private readonly InputBackPressure _backPressure;

    // Partitions assigned whose tasks the poll loop has yet to create; their input stays paused until restored.
    private readonly List<TopicPartition> _assigned = [];
    private readonly TaskRestorer _restorer;
    private IProducer<byte[]?, byte[]?>? _producer;
    private IConsumer<byte[]?, byte[]?>? _consumer;
    private Exception? _deliveryError;
    private bool _inTransaction;
    private bool _uncommitted;
    private bool _unflushed;
    private long _recordsSinceCommit;

    /// <param name="stateDirectory">This thread's own root for its tasks' stores: a task moving between threads of one instance never meets a directory still in use.</param>
    public StreamThread(int index, Topology topology, StreamsOptions options, IRuntimeObserver observer, TimeProvider clock, ILogger logger, string stateDirectory)
    {
        Index = index;
        _topology = topology;
        _options = options;
        _observer = observer;
        _clock = clock;
        _logger = logger;
        _stateDirectory = stateDirectory;
        // -X client.id, where given, prefixes every client id, so that quotas and broker logs can tell the clients apart.
        _clientId = $"{options.ClientConfig.GetValueOrDefault("client.id", options.ApplicationId)}-StreamThread-{index}";
        _onDelivered = OnDelivered;
        _backPressure = new InputBackPressure(clock);
        _restorer = new TaskRestorer(
            () => new ConsumerBuilder<byte[]?, byte[]?>(RestoreConsumerConfig()).Build(),
            Consume,
            ChangelogEndRetry.Create(options, clock, logger),
            options.ApplicationId,
            observer,
            clock,
            logger);
    }

    public int Index { get; }

    // Running, restoring, and assigned but not yet created.
    private int TaskCount => _tasks.Count + _restorer.Count + _assigned.Count;

    public StreamsState State { get; private set; } = StreamsState.Created;

    /// <summary>Destroys the Kafka clients, waiting at most <see cref="ClientDisposeTimeout"/>: a stopping process must not hang on them.</summary>
    public void Dispose()
    {
        var disposing = Task.Run(() =>
        {
            _consumer?.Dispose();
            _producer?.Dispose();
            _restorer.Dispose();
        });
        if (!disposing.Wait(ClientDisposeTimeout))
        {
            _logger.LogWarning("Stream thread {Thread}'s Kafka clients were not destroyed within {Timeout}; not waiting any longer", Index, ClientDisposeTimeout);
        }
    }

    /// <summary>Processes until <paramref name="cancellationToken"/> is cancelled; throws what it cannot recover from.</summary>
    /// <param name="subscribing">
    /// Passed by every thread of the instance once its clients are built, so all join the group at
    /// once: a member joining after the first assignment costs another rebalance, which a broker
    /// may stretch to the session timeout (the development broker does).
    /// </param>
    public void Run(CancellationToken cancellationToken, Barrier subscribing)
    {
        try
        {
            _producer = NewTransactionalProducer();
            _consumer = new ConsumerBuilder<byte[]?, byte[]?>(ConsumerConfig())
                .SetPartitionsAssignedHandler((_, partitions) => Assign(partitions))
                .SetPartitionsRevokedHandler((_, partitions) => Revoke(partitions.Select(p => p.TopicPartition).ToList(), commit: true))
                .SetPartitionsLostHandler((_, partitions) => Revoke(partitions.Select(p => p.TopicPartition).ToList(), commit: false))
                .Build();
            State = StreamsState.Starting;
            subscribing.SignalAndWait(cancellationToken);
            _consumer.Subscribe(_topology.SourceTopics);
            _logger.LogInformation("Stream thread {Thread} of {ApplicationId} subscribed to {Topics}", Index, _options.ApplicationId, string.Join(", ", _topology.SourceTopics));
            Loop(cancellationToken);
            CommitOrRecover();
            _consumer.Close();
            State = StreamsState.Stopped;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            State = StreamsState.Failed;
            _logger.LogCritical(e, "Stream thread {Thread} of {ApplicationId} failed", Index, _options.ApplicationId);
            throw;
        }
        finally
        {
            CloseTasks(_tasks.Keys.ToList());
            _restorer.Clear();
            _assigned.Clear();
        }
    }

    private void Loop(CancellationToken cancellationToken)
    {
        var lastCommit = _clock.GetTimestamp();
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                RestoreTasks(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // A stop while a restore waited for the broker: the tasks restored so far are committed and closed as usual.
                return;
            }

            var batchStart = _clock.GetTimestamp();
            var count = 0;
            // With results waiting for a commit, a short wait is enough to tell that the input is drained; a restore does its own waiting.
            var consumed = Consume(_consumer!, _backPressure.IsPaused || _restorer.Count > 0 ? TimeSpan.Zero : _recordsSinceCommit > 0 ? DrainedAfter : _options.PollTimeout);
            while (consumed is not null)
            {
                ProcessOne(consumed);
                if (++count >= _options.MaxBatchSize)
                {
                    break;
                }

                consumed = Consume(_consumer!, TimeSpan.Zero);
            }

            if (count > 0)
            {
                _recordsSinceCommit += count;
                _observer.BatchProcessed(count, _clock.GetElapsedTime(batchStart));
                foreach (var (topic, records) in _consumedInBatch)
                {
                    _observer.RecordsConsumed(topic, records);
                }

                _consumedInBatch.Clear();
            }

            // Before a commit, which would drain the producer and hide that this batch filled its queue.
            ApplyBackPressure();
            var now = _clock.GetUtcNow();
            foreach (var task in _tasks.Values)
            {
                if (task.Punctuate(PunctuationType.WallClockTime, now) > 0)
                {
                    _uncommitted = true;
                }
            }

            // Also commit as soon as the input is drained: the results of a burst need not wait out the interval.
            var sinceCommit = _clock.GetElapsedTime(lastCommit);
            var drained = count == 0 && _recordsSinceCommit > 0 && sinceCommit >= DrainedCommitGap;
            if (drained || sinceCommit >= _options.CommitInterval)
            {
                CommitOrRecover();
                lastCommit = _clock.GetTimestamp();
                _recordsSinceCommit = 0;
            }
        }
    }

    /// <summary>The consumer's next record; null when none came within <paramref name="timeout"/> or the consumer reported an error it recovers from.</summary>
    private ConsumeResult<byte[]?, byte[]?>? Consume(IConsumer<byte[]?, byte[]?> consumer, TimeSpan timeout)
    {
        try
        {
            return consumer.Consume(timeout);
        }
        catch (ConsumeException e) when (!e.Error.IsFatal)
        {
            // librdkafka reports what it retries by itself, such as a partition it cannot place while a broker is down:
            // informational, not a reason to stop the thread (measured: one broker outage failed a thread with "Unknown partition").
            _observer.ConsumerError(e.Error.Code.ToString());
            _logger.LogWarning("Stream thread {Thread}'s consumer reported {Code} ({Reason}) for {TopicPartition}; it retries on its own", Index, e.Error.Code, e.Error.Reason, e.ConsumerRecord?.TopicPartition);
            return null;
        }
    }

    private void ApplyBackPressure()
    {
        switch (_backPressure.Check(out var pausedFor))
        {
            case InputChange.Pause:
                _logger.LogDebug("Stream thread {Thread} pauses its input: the producer's queue is full", Index);
                break;
            case InputChange.Resume:
                // Not the partitions still restoring: their tasks resume them.
                Resume([.. _tasks.Keys]);
                _observer.InputPaused(pausedFor);
                _logger.LogDebug("Stream thread {Thread} resumes its input after {PausedMs} ms", Index, pausedFor.TotalMilliseconds);
                return;
        }

        if (_backPressure.IsPaused)
        {
            // Every round, so partitions assigned during the pause wait too.
            _consumer!.Pause(_consumer.Assignment);
            // Only this thread serves the producer's delivery reports: wait for them rather than for input.
            _producer!.Poll(DrainedAfter);
        }
    }

    private void ProcessOne(ConsumeResult<byte[]?, byte[]?> consumed)
    {
        // The property builds a new instance on every read.
        var partition = consumed.TopicPartition;
        if (!_tasks.TryGetValue(partition, out var task))
        {
            // A restoring task's input is read again from its checkpoint once restored: a record fetched before the pause is not lost.
            if (!_assigned.Contains(partition) && !_restorer.Contains(partition))
            {
                _logger.LogWarning("Record from unassigned {TopicPartition}; skipped", partition);
            }

            return;
        }

        CollectionsMarshal.GetValueRefOrAddDefault(_consumedInBatch, consumed.Topic, out _)++;
        task.Process(consumed);
        _processed[partition] = consumed.Offset.Value;
        _uncommitted = true;
    }

    private void CommitOrRecover()
    {
        try
        {
            Commit();
        }
        catch (KafkaException e)
        {
            _observer.Aborted(e.Error.Code.ToString());
            _logger.LogWarning(e, "Commit failed ({Reason}); aborting and rewinding {Tasks} tasks to their checkpoints", e.Error.Reason, _tasks.Count);
            AbortOrReplaceProducer(e);
            Recover();
        }
    }

    private void Commit()
    {
        if (_producer is null || _consumer is null || !_uncommitted || _tasks.Count == 0)
        {
            return;
        }

        var started = _clock.GetTimestamp();
        EnsureTransaction();
        foreach (var task in _tasks.Values)
        {
            task.BeforeCommit();
        }

        FlushProducer();
        foreach (var (partition, task) in _tasks)
        {
            if (_processed.TryGetValue(partition, out var offset))
            {
                task.Checkpoints.Put(Checkpoint.Key(partition), offset);
            }
        }

        // One store at a time across tasks, each acknowledged before the next: see the remarks above.
        var storeCount = _tasks.Values.Max(t => t.ChangeLoggedStores.Count);
        for (var index = 0; index < storeCount; index++)
        {
            foreach (var task in _tasks.Values)
            {
                if (index < task.ChangeLoggedStores.Count)
                {
                    WriteChangelog(task, task.ChangeLoggedStores[index]);
                }
            }

            FlushProducer();
        }

        var offsets = _processed.Select(p => new TopicPartitionOffset(p.Key, new Offset(p.Value + 1))).ToList();
        if (offsets.Count > 0)
        {
            _producer.SendOffsetsToTransaction(offsets, _consumer.ConsumerGroupMetadata, TransactionTimeout);
        }

        _producer.CommitTransaction(TransactionTimeout);
        _inTransaction = false;
        _uncommitted = false;
        foreach (var (topic, records) in _producedInTransaction)
        {
            _observer.RecordsProduced(topic, records);
        }

        _producedInTransaction.Clear();
        ReportLag();
        _processed.Clear();
        _observer.Committed(_clock.GetElapsedTime(started));
    }

    private void WriteChangelog(StreamTask task, IChangeLoggedStore store)
    {
        var topic = Topology.ChangelogTopic(_options.ApplicationId, store.Name);
        // A commit writes tens of thousands of changelog records: one partition and timestamp for all of them.
        var changelog = new TopicPartition(topic, task.Id.Partition);
        var timestamp = new Timestamp(_clock.GetUtcNow());
        var written = 0;
        store.Flush(entry =>
        {
            Produce(topic, changelog, new Message<byte[]?, byte[]?> { Key = entry.Key, Value = entry.Value, Timestamp = timestamp });
            written++;
        });
        if (written > 0)
        {
            CollectionsMarshal.GetValueRefOrAddDefault(_producedInTransaction, topic, out _) += written;
        }

        _observer.StoreSize(store.Name, task.Id.Partition, store.ApproximateCount);
    }

    private void ReportLag()
    {
        foreach (var (partition, offset) in _processed)
        {
            var watermarks = _consumer!.GetWatermarkOffsets(partition);
            if (watermarks.High != Offset.Unset)
            {
                _observer.Lag(partition.Topic, partition.Partition.Value, Math.Max(0, watermarks.High.Value - offset - 1));
            }
        }
    }

    private void EnsureTransaction()
    {
        if (!_inTransaction)
        {
            _producer!.BeginTransaction();
            _inTransaction = true;
        }
    }

    /// <summary>Waits until everything sent is acknowledged; a no-op when nothing was sent since the last flush (most stores change rarely).</summary>
    private void FlushProducer()
    {
        if (_unflushed)
        {
            _producer!.Flush(Timeout.InfiniteTimeSpan);
            _unflushed = false;
            _backPressure.Flushed();
        }

        if (_deliveryError is { } error)
        {
            _deliveryError = null;
            throw error;
        }
    }

    private void AbortOrReplaceProducer(KafkaException cause)
    {
        _deliveryError = null;
        _inTransaction = false;
        _unflushed = false;
        _producedInTransaction.Clear();
        if (!cause.Error.IsFatal)
        {
            try
            {
                _producer!.AbortTransaction(TransactionTimeout);
                return;
            }
            catch (KafkaException e)
            {
                _logger.LogWarning(e, "Abort failed; replacing the transactional producer");
            }
        }

        // Fenced or fatal: only a new producer (a new epoch) can write again.
        _producer!.Dispose();
        _producer = NewTransactionalProducer();
        _backPressure.ProducerReplaced();
    }

    /// <summary>Throws away every running task's in-memory and local state, to be restored from the changelogs and resumed from the checkpoints.</summary>
    private void Recover()
    {
        var partitions = _tasks.Keys.ToList();
        CloseTasks(partitions);
        _assigned.AddRange(partitions);
        _uncommitted = false;
    }

    /// <summary>
    /// Only registers the partitions: the poll loop restores their tasks. Each starts at offset 0,
    /// an offset the broker need not be asked for, and its task moves it to its checkpoint once
    /// restored; the few records fetched before the loop pauses it are not processed.
    /// </summary>
    private List<TopicPartitionOffset> Assign(List<TopicPartition> partitions)
    {
        _assigned.AddRange(partitions);
        State = StreamsState.Restoring;
        _observer.Rebalanced(partitions.Count);
        _logger.LogInformation("Stream thread {Thread} assigned {Partitions}; {Tasks} tasks now, {Restoring} to restore", Index, string.Join(", ", partitions), TaskCount, TaskCount - _tasks.Count);
        return [.. partitions.Select(p => new TopicPartitionOffset(p, new Offset(0)))];
    }

    /// <summary>Creates the tasks of newly assigned partitions, restores a slice of their changelogs, and starts the tasks that are restored.</summary>
    private void RestoreTasks(CancellationToken cancellationToken)
    {
        if (_assigned.Count > 0)
        {
            _consumer!.Pause(_assigned);
            while (_assigned.Count > 0)
            {
                var partition = _assigned[^1];
                var subTopology = _topology.SubTopologyOf(partition.Topic);
                _restorer.Add(partition, new StreamTask(new TaskId(subTopology.Id, partition.Partition.Value), subTopology, _topology, this, _clock, _stateDirectory), cancellationToken);
                _assigned.RemoveAt(_assigned.Count - 1);
            }
        }

        if (_restorer.Count > 0)
        {
            // A thread with running tasks restores in short slices between their batches.
            var restored = _restorer.Restore(_options.MaxBatchSize, _tasks.Count == 0 ? _options.PollTimeout : DrainedAfter);
            foreach (var (partition, task) in restored)
            {
                Start(partition, task);
            }

            // Together, so that a broker too slow to wake the fetcher delays this round once, not once per task.
            if (restored.Count > 0 && !_backPressure.IsPaused)
            {
                Resume([.. restored.Select(r => r.Key)]);
            }
        }

        if (State == StreamsState.Restoring && _restorer.Count == 0)
        {
            State = StreamsState.Running;
        }
    }

    private void Start(TopicPartition partition, StreamTask task)
    {
        task.Initialize();
        _tasks[partition] = task;
        var position = new TopicPartitionOffset(partition, task.Checkpoints.TryGet(Checkpoint.Key(partition), out var offset) ? new Offset(offset + 1) : Offset.Beginning);
        _consumer!.Seek(position);
        _logger.LogInformation("Stream thread {Thread} restored task {Task}; it resumes {TopicPartition} at {Offset}", Index, task.Id, partition, position.Offset);
    }

    /// <summary>
    /// Resumes fetching <paramref name="partitions"/> at once. librdkafka's fetcher learns of a resume
    /// only when its broker thread next wakes, up to a second later if it had nothing else to fetch
    /// (measured: a restored task's first record came 0.3-0.5 s after its resume, with input waiting).
    /// A request to each partition's leader wakes that thread.
    /// </summary>
    private void Resume(IReadOnlyList<TopicPartition> partitions)
    {
        _consumer!.Resume(partitions);
        foreach (var partition in partitions)
        {
            try
            {
                _consumer.QueryWatermarkOffsets(partition, FetcherWakeUpTimeout);
            }
            catch (KafkaException e)
            {
                // The fetcher still wakes by itself; a broker this slow would fail the next partitions' requests too.
                _logger.LogDebug("Stream thread {Thread} could not wake the fetcher of {TopicPartition} ({Reason}); it starts within a second", Index, partition, e.Error.Reason);
                return;
            }
        }
    }

    private void Revoke(List<TopicPartition> partitions, bool commit)
    {
        if (commit)
        {
            CommitOrRecover();
        }
        else if (_inTransaction)
        {
            AbortOrReplaceProducer(new KafkaException(ErrorCode.Local_State));
        }

        var closed = CloseTasks(partitions);
        _observer.Rebalanced(-closed);
        _logger.LogInformation("Stream thread {Thread} revoked {Partitions} ({Mode}); {Tasks} tasks now", Index, string.Join(", ", partitions), commit ? "committed" : "lost", TaskCount);
    }

    /// <summary>Returns how many of the partitions had a task.</summary>
    private int CloseTasks(IReadOnlyList<TopicPartition> partitions)
    {
        var closed = 0;
        foreach (var partition in partitions)
        {
            if (_tasks.Remove(partition, out var task))
            {
                task.Dispose();
                closed++;
            }
            else if (_restorer.Remove(partition) || _assigned.Remove(partition))
            {
                closed++;
            }

            _processed.Remove(partition);
        }

        return closed;
    }

    void IRecordOutput.Send(OutgoingRecord record)
    {
        CollectionsMarshal.GetValueRefOrAddDefault(_producedInTransaction, record.Topic, out _)++;
        var message = new Message<byte[]?, byte[]?>
        {
            Key = record.Key,
            Value = record.Value,
            Timestamp = new Timestamp(record.Timestamp),
            Headers = ToKafkaHeaders(record),
        };
        Produce(record.Topic, record.Partition is { } partition ? new TopicPartition(record.Topic, partition) : null, message);
    }

    /// <param name="partition">Null lets the producer's partitioner choose.</param>
    private void Produce(string topic, TopicPartition? partition, Message<byte[]?, byte[]?> message)
    {
        EnsureTransaction();
        _unflushed = true;
        while (true)
        {
            try
            {
                if (partition is not null)
                {
                    _producer!.Produce(partition, message, _onDelivered);
                }
                else
                {
                    _producer!.Produce(topic, message, _onDelivered);
                }

                _backPressure.Sent();
                return;
            }
            catch (ProduceException<byte[]?, byte[]?> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
            {
                // The record's outputs are produced whole: serve delivery reports until the queue has room, and pause input after it.
                _backPressure.QueueFull();
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

    /// <summary>The next flush throws the first failure, so nothing is sent after a failed write within a commit.</summary>
    private void OnDelivered(DeliveryReport<byte[]?, byte[]?> report)
    {
        _backPressure.Acknowledged();
        if (report.Error.IsError)
        {
            _deliveryError ??= new KafkaException(report.Error);
        }
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

    private IProducer<byte[]?, byte[]?> NewTransactionalProducer()
    {
        var producer = new ProducerBuilder<byte[]?, byte[]?>(new ProducerConfig(_options.ClientConfig.ToDictionary())
        {
            BootstrapServers = _options.BootstrapServers,
            EnableIdempotence = true,
            TransactionalId = $"{_options.ApplicationId}-{Guid.NewGuid():N}",
            TransactionTimeoutMs = (int)TransactionTimeout.TotalMilliseconds,
            LingerMs = 5,
            // Delivery reports are served by Flush on this thread. With Confluent's background poll thread taking them,
            // Flush only noticed an empty queue at its 10 ms wake-ups: a commit flushes once per store, and waited ~10 ms each.
            EnableBackgroundPoll = false,
            // Delivery reports carry only the outcome: copying each record back cost more than producing it.
            DeliveryReportFields = "none",
            ClientId = $"{_clientId}-producer",
        }).Build();
        producer.InitTransactions(TransactionTimeout);
        return producer;
    }

    private ConsumerConfig ConsumerConfig()
    {
        var config = new ConsumerConfig(_options.ClientConfig.ToDictionary())
        {
            BootstrapServers = _options.BootstrapServers,
            GroupId = _options.ApplicationId,
            ClientId = $"{_clientId}-consumer",
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
            EnablePartitionEof = false,
            IsolationLevel = IsolationLevel.ReadCommitted,
            PartitionAssignmentStrategy = PartitionAssignmentStrategy.CooperativeSticky,
        };
        if (_options.FetchWaitMax is { } wait)
        {
            config.FetchWaitMaxMs = (int)wait.TotalMilliseconds;
        }

        if (_options.InstanceId is { } instance)
        {
            config.GroupInstanceId = $"{instance}-{Index}";
        }

        return config;
    }

    private ConsumerConfig RestoreConsumerConfig() => new(_options.ClientConfig.ToDictionary())
    {
        BootstrapServers = _options.BootstrapServers,
        GroupId = $"{_options.ApplicationId}-restore",
        ClientId = $"{_clientId}-restore",
        EnableAutoCommit = false,
        EnablePartitionEof = false,
        IsolationLevel = IsolationLevel.ReadCommitted,
    };

    private static class Checkpoint
    {
        public static string Key(TopicPartition partition) => $"{partition.Topic}:{partition.Partition.Value}";
    }
}
