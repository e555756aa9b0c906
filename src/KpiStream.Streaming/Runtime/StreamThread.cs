using KpiStream.Streaming.Topologies;
using System.Runtime.InteropServices;
using Confluent.Kafka;
using KpiStream.Streaming.Processors;
using KpiStream.Streaming.Stores;
using Microsoft.Extensions.Logging;

namespace KpiStream.Streaming.Runtime;

/// <summary>
/// One thread of a <see cref="StreamsRuntime"/>, modelled on Kafka Streams' stream thread: its own
/// consumer (a member of the application's group), whose assignment its <see cref="TaskManager"/>
/// turns into tasks, and its own <see cref="RecordCollector"/> (the transactional producer). The
/// thread keeps the poll loop and the commit: each commit is one Kafka transaction holding the
/// outputs, the state changes (changelogs) and the input positions, both as a checkpoint store and
/// as group offsets. A task resumes from its checkpoint, not from the group offsets, so recovery is
/// exact even where a broker does not store transactional offsets.
/// </summary>
/// <remarks>
/// Within a commit, outputs are flushed (acknowledged) first, then each store's changelog in
/// declaration order, then the checkpoint, each acknowledged before the next. Where aborted
/// transactions stay visible (the development broker), a crash therefore leaves a prefix of that
/// sequence, and the processors' per-entry applied offsets make replaying it harmless.
/// </remarks>
internal sealed class StreamThread : IDisposable
{
    // Seen once: minutes after a stream thread failed during a broker outage, the process had not exited and its
    // transactional producer's librdkafka main thread was spinning.
    private static readonly TimeSpan ClientDisposeTimeout = TimeSpan.FromSeconds(30);

    // A drained input commits after a poll of DrainedAfter finds nothing, but not sooner than DrainedCommitGap after the
    // last commit (Kafka Streams' commit interval under exactly-once), so a light, steady feed does not commit per batch.
    // Short, because stage 1's results reach stage 2 only at commits: the last windows of a burst wait for one drained
    // commit per stage, and one thread's commit hands the other thread more input, postponing its own.
    private static readonly TimeSpan DrainedAfter = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan DrainedCommitGap = TimeSpan.FromMilliseconds(100);

    private readonly Topology _topology;
    private readonly StreamsOptions _options;
    private readonly IRuntimeObserver _observer;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly string _clientId;
    private readonly string _stateDirectory;
    private readonly RecordCollector _collector;
    private readonly Dictionary<TopicPartition, long> _processed = [];
    private readonly Dictionary<string, int> _consumedInBatch = new(StringComparer.Ordinal);
    private readonly WaitingPartitions _waiting;
    private IConsumer<byte[]?, byte[]?>? _consumer;
    private TaskManager? _tasks;
    private bool _uncommitted;
    private long _recordsSinceCommit;

    /// <param name="stateDirectory">This thread's own root for its tasks' stores.</param>
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
        _collector = new RecordCollector(options, _clientId, observer, clock, logger);
        _waiting = new WaitingPartitions(clock, options.DependencyRetryDelay, options.DependencyRetryMaxDelay);
    }

    public int Index { get; }

    public StreamsState State { get; private set; } = StreamsState.Created;

    /// <summary>What some of this thread's input waits for (an unavailable dependency), or null; read by other threads.</summary>
    public string? WaitingFor => _waiting.Reason;

    private int TaskCount => _tasks?.Count ?? 0;

    /// <summary>Destroys the Kafka clients, waiting at most <see cref="ClientDisposeTimeout"/>: a stopping process must not hang on them.</summary>
    public void Dispose()
    {
        var disposing = Task.Run(() =>
        {
            _consumer?.Dispose();
            _collector.Dispose();
            _tasks?.Dispose();
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
            _collector.Start(_topology.BroadcastTopics);
            _consumer = new ConsumerBuilder<byte[]?, byte[]?>(ConsumerConfig())
                .SetPartitionsAssignedHandler((_, partitions) => Assign(partitions))
                .SetPartitionsRevokedHandler((_, partitions) => Revoke(partitions.Select(p => p.TopicPartition).ToList(), commit: true))
                .SetPartitionsLostHandler((_, partitions) => Revoke(partitions.Select(p => p.TopicPartition).ToList(), commit: false))
                .Build();
            var restorer = new TaskRestorer(
                () => new ConsumerBuilder<byte[]?, byte[]?>(RestoreConsumerConfig()).Build(),
                Consume,
                ChangelogEndRetry.Create(_options, _clock, _logger),
                _options.ApplicationId,
                _observer,
                _clock,
                _logger);
            _tasks = new TaskManager(Index, _topology, _consumer, _collector, restorer, _clock, _logger, _stateDirectory);
            State = StreamsState.Starting;
            subscribing.SignalAndWait(cancellationToken);
            _consumer.Subscribe(_topology.SourceTopics);
            _logger.LogInformation("Stream thread {Thread} of {ApplicationId} subscribed to {Topics}", Index, _options.ApplicationId, string.Join(", ", _topology.SourceTopics));
            Loop(_tasks, cancellationToken);
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
            _tasks?.CloseAll();
            _processed.Clear();
        }
    }

    private void Loop(TaskManager tasks, CancellationToken cancellationToken)
    {
        var lastCommit = _clock.GetTimestamp();
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                // A thread with running tasks restores in short slices between their batches.
                tasks.Restore(_options.MaxBatchSize, tasks.Running.Count == 0 ? _options.PollTimeout : DrainedAfter, !_collector.BackPressure.IsPaused, cancellationToken);
                if (State == StreamsState.Restoring && !tasks.IsRestoring)
                {
                    State = StreamsState.Running;
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // A stop while a restore waited for the broker: the tasks restored so far are committed and closed as usual.
                return;
            }

            if (_waiting.Count > 0)
            {
                _waiting.ResumeDue(_consumer!);
            }

            var batchStart = _clock.GetTimestamp();
            var count = 0;
            // With results waiting for a commit, a short wait is enough to tell that the input is drained; a restore does its own waiting.
            var consumed = Consume(_consumer!, _collector.BackPressure.IsPaused || tasks.IsRestoring ? TimeSpan.Zero : _recordsSinceCommit > 0 ? DrainedAfter : _options.PollTimeout);
            while (consumed is not null)
            {
                ProcessOne(tasks, consumed);
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
            ApplyBackPressure(tasks);
            var now = _clock.GetUtcNow();
            foreach (var task in tasks.Running.Values)
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

    private void ApplyBackPressure(TaskManager tasks)
    {
        var backPressure = _collector.BackPressure;
        switch (backPressure.Check(out var pausedFor))
        {
            case InputChange.Pause:
                _logger.LogDebug("Stream thread {Thread} pauses its input: the producer's queue is full", Index);
                break;
            case InputChange.Resume:
                tasks.ResumeRunning();
                _observer.InputPaused(pausedFor);
                _logger.LogDebug("Stream thread {Thread} resumes its input after {PausedMs} ms", Index, pausedFor.TotalMilliseconds);
                return;
        }

        if (backPressure.IsPaused)
        {
            // Every round, so partitions assigned during the pause wait too.
            _consumer!.Pause(_consumer.Assignment);
            // Only this thread serves the producer's delivery reports: wait for them rather than for input.
            _collector.ServeDeliveries(DrainedAfter);
        }
    }

    private void ProcessOne(TaskManager tasks, ConsumeResult<byte[]?, byte[]?> consumed)
    {
        // The property builds a new instance on every read.
        var partition = consumed.TopicPartition;
        if (!tasks.Running.TryGetValue(partition, out var task))
        {
            // A restoring task's input is read again from its checkpoint once restored: a record fetched before the pause is not lost.
            if (!tasks.IsPending(partition))
            {
                _logger.LogWarning("Record from unassigned {TopicPartition}; skipped", partition);
            }

            return;
        }

        if (_waiting.Holds(partition))
        {
            return;
        }

        CollectionsMarshal.GetValueRefOrAddDefault(_consumedInBatch, consumed.Topic, out _)++;
        try
        {
            task.Process(consumed);
        }
        catch (DependencyUnavailableException e)
        {
            Wait(partition, consumed.Offset.Value, e);
            return;
        }

        if (_waiting.Release(partition))
        {
            _observer.PartitionsWaiting(-1);
            _logger.LogInformation("Stream thread {Thread}'s {TopicPartition} goes on: the record at offset {Offset} was processed", Index, partition, consumed.Offset.Value);
        }

        _processed[partition] = consumed.Offset.Value;
        _uncommitted = true;
    }

    private void Wait(TopicPartition partition, long offset, DependencyUnavailableException cause)
    {
        _observer.DependencyUnavailable(cause.Dependency);
        if (_waiting.Wait(_consumer!, partition, offset, cause))
        {
            _observer.PartitionsWaiting(+1);
            _logger.LogWarning("Stream thread {Thread}'s {TopicPartition} waits at offset {Offset}: {Dependency} is unavailable ({Reason}); the record is tried again with backoff, nothing is skipped", Index, partition, offset, cause.Dependency, cause.Reason);
        }
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
            _logger.LogWarning(e, "Commit failed ({Reason}); aborting and rewinding {Tasks} tasks to their checkpoints", e.Error.Reason, _tasks?.Running.Count ?? 0);
            _collector.AbortOrReplace(e);
            foreach (var partition in _tasks!.RewindAll())
            {
                _processed.Remove(partition);
            }

            // Rewound to their checkpoints, waiting partitions read their waiting record again anyway.
            Forget(null);

            _uncommitted = false;
        }
    }

    private void Commit()
    {
        if (_consumer is null || _tasks is not { Running.Count: > 0 } tasks || !_uncommitted)
        {
            return;
        }

        var started = _clock.GetTimestamp();
        _collector.BeginTransactionIfNone();
        foreach (var task in tasks.Running.Values)
        {
            task.BeforeCommit();
        }

        _collector.Flush();
        foreach (var (partition, task) in tasks.Running)
        {
            if (_processed.TryGetValue(partition, out var offset))
            {
                task.Checkpoints.Put(Checkpoints.Key(partition), offset);
            }
        }

        // One store at a time across tasks, each acknowledged before the next: see the remarks above.
        var storeCount = tasks.Running.Values.Max(t => t.ChangeLoggedStores.Count);
        var now = _clock.GetUtcNow();
        for (var index = 0; index < storeCount; index++)
        {
            foreach (var task in tasks.Running.Values)
            {
                if (index < task.ChangeLoggedStores.Count)
                {
                    var store = task.ChangeLoggedStores[index];
                    _collector.SendChangelog(new TopicPartition(Topology.ChangelogTopic(_options.ApplicationId, store.Name), task.Id.Partition), store, now);
                    _observer.StoreSize(store.Name, task.Id.Partition, store.ApproximateCount);
                }
            }

            _collector.Flush();
        }

        _collector.CommitTransaction([.. _processed.Select(p => new TopicPartitionOffset(p.Key, new Offset(p.Value + 1)))], _consumer.ConsumerGroupMetadata);
        _uncommitted = false;
        ReportLag();
        _processed.Clear();
        _observer.Committed(_clock.GetElapsedTime(started));
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

    /// <summary>
    /// Only registers the partitions: the poll loop restores their tasks. Each starts at offset 0,
    /// an offset the broker need not be asked for, and its task moves it to its checkpoint once
    /// restored; the few records fetched before the loop pauses it are not processed.
    /// </summary>
    private List<TopicPartitionOffset> Assign(List<TopicPartition> partitions)
    {
        _tasks!.Register(partitions);
        State = StreamsState.Restoring;
        _observer.Rebalanced(partitions.Count);
        _logger.LogInformation("Stream thread {Thread} assigned {Partitions}; {Tasks} tasks now, {Restoring} to restore", Index, string.Join(", ", partitions), TaskCount, TaskCount - _tasks.Running.Count);
        return [.. partitions.Select(p => new TopicPartitionOffset(p, new Offset(0)))];
    }

    private void Revoke(List<TopicPartition> partitions, bool commit)
    {
        if (commit)
        {
            CommitOrRecover();
        }
        else if (_collector.InTransaction)
        {
            _collector.AbortOrReplace(new KafkaException(ErrorCode.Local_State));
        }

        var closed = _tasks!.Close(partitions);
        foreach (var partition in partitions)
        {
            _processed.Remove(partition);
        }

        Forget(partitions);

        _observer.Rebalanced(-closed);
        _logger.LogInformation("Stream thread {Thread} revoked {Partitions} ({Mode}); {Tasks} tasks now", Index, string.Join(", ", partitions), commit ? "committed" : "lost", TaskCount);
    }

    private void Forget(IEnumerable<TopicPartition>? partitions)
    {
        if (_waiting.Count > 0 && _waiting.Forget(partitions) is var forgotten and > 0)
        {
            _observer.PartitionsWaiting(-forgotten);
        }
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
}
