using KpiStream.Streaming.Topologies;
using Confluent.Kafka;
using KpiStream.Streaming.Stores;
using Microsoft.Extensions.Logging;
using Polly;

namespace KpiStream.Streaming.Runtime;

/// <summary>
/// Rebuilds newly assigned tasks' stores from their changelogs a slice at a time, between a stream
/// thread's polls, like Kafka Streams' restoring tasks. One restore consumer per thread reads the
/// changelogs of every restoring task at once. Owns a task until it hands it back restored.
/// Progress is reported after every slice, and each store's total once it is restored.
/// </summary>
/// <remarks>
/// Restoring inside the consumer's rebalance callback kept the thread there for as long as the
/// changelogs took, and anything thrown there (a stop, a broker that kept refusing) left a consumer
/// that could not be closed or destroyed.
/// </remarks>
internal sealed class TaskRestorer(
    Func<IConsumer<byte[]?, byte[]?>> newConsumer,
    Func<IConsumer<byte[]?, byte[]?>, TimeSpan, ConsumeResult<byte[]?, byte[]?>?> consume,
    ResiliencePipeline changelogEnds,
    string applicationId,
    IRuntimeObserver observer,
    TimeProvider clock,
    ILogger logger) : IDisposable
{
    private static readonly TimeSpan EndQueryTimeout = TimeSpan.FromSeconds(30);

    private readonly Dictionary<TopicPartition, RestoringTask> _tasks = [];
    private readonly Dictionary<TopicPartition, ChangelogRestore> _changelogs = [];
    private IConsumer<byte[]?, byte[]?>? _consumer;

    /// <summary>Tasks still restoring.</summary>
    public int Count => _tasks.Count;

    public bool Contains(TopicPartition input) => _tasks.ContainsKey(input);

    /// <summary>
    /// Takes <paramref name="task"/>, the task of <paramref name="input"/>, and starts reading its
    /// changelogs up to where each ends now. Disposes the task if it cannot learn those ends.
    /// </summary>
    public void Add(TopicPartition input, StreamTask task, CancellationToken cancellationToken)
    {
        _consumer ??= newConsumer();
        var restoring = new RestoringTask(task);
        var started = clock.GetTimestamp();
        var restores = new List<(TopicPartition Changelog, ChangelogRestore Restore)>();
        try
        {
            foreach (var store in task.ChangeLoggedStores)
            {
                var changelog = new TopicPartition(Topology.ChangelogTopic(applicationId, store.Name), task.Id.Partition);
                var end = changelogEnds.Execute(_ => _consumer.QueryWatermarkOffsets(changelog, EndQueryTimeout).High.Value, cancellationToken);
                restores.Add((changelog, new ChangelogRestore(restoring, store, end, started)));
            }
        }
        catch
        {
            task.Dispose();
            throw;
        }

        _tasks[input] = restoring;
        var reading = new List<TopicPartitionOffset>();
        foreach (var (changelog, restore) in restores)
        {
            if (restore.End > 0)
            {
                _changelogs[changelog] = restore;
                restoring.Unfinished++;
                reading.Add(new TopicPartitionOffset(changelog, Offset.Beginning));
            }
            else
            {
                Report(restore);
            }
        }

        if (reading.Count > 0)
        {
            _consumer.IncrementalAssign(reading);
        }
    }

    /// <summary>
    /// Applies changelog records, at most <paramref name="maxRecords"/>, waiting up to
    /// <paramref name="wait"/> for the first; returns the tasks whose every store has reached its
    /// changelog's end, which the caller owns from then on.
    /// </summary>
    public List<KeyValuePair<TopicPartition, StreamTask>> Restore(int maxRecords, TimeSpan wait)
    {
        if (_changelogs.Count > 0)
        {
            for (var applied = 0; applied < maxRecords && consume(_consumer!, applied == 0 ? wait : TimeSpan.Zero) is { } record; applied++)
            {
                if (_changelogs.TryGetValue(record.TopicPartition, out var restore))
                {
                    restore.Store.Restore(new ChangelogEntry(record.Message.Key!, record.Message.Value));
                    restore.Records++;
                }
            }

            foreach (var restore in _changelogs.Values.Where(r => r.Records > r.Reported))
            {
                observer.RestoreProgressed(restore.Store.Name, restore.Task.Task.Id.Partition, restore.Records - restore.Reported);
                restore.Reported = restore.Records;
            }

            // The end offset may be a transaction marker that is never returned, so watch the position, not the records.
            var finished = _changelogs.Where(c => _consumer!.Position(c.Key).Value >= c.Value.End).Select(c => c.Key).ToList();
            foreach (var changelog in finished)
            {
                _changelogs.Remove(changelog, out var restore);
                restore!.Task.Unfinished--;
                Report(restore);
            }

            if (finished.Count > 0)
            {
                _consumer!.IncrementalUnassign(finished);
            }
        }

        var restored = _tasks.Where(t => t.Value.Unfinished == 0).Select(t => KeyValuePair.Create(t.Key, t.Value.Task)).ToList();
        foreach (var (input, _) in restored)
        {
            _tasks.Remove(input);
        }

        return restored;
    }

    /// <summary>Stops restoring the task of <paramref name="input"/> and disposes it; false when it was not restoring.</summary>
    public bool Remove(TopicPartition input)
    {
        if (!_tasks.Remove(input, out var restoring))
        {
            return false;
        }

        var reading = _changelogs.Where(c => c.Value.Task == restoring).Select(c => c.Key).ToList();
        foreach (var changelog in reading)
        {
            _changelogs.Remove(changelog);
        }

        if (reading.Count > 0)
        {
            _consumer!.IncrementalUnassign(reading);
        }

        restoring.Task.Dispose();
        return true;
    }

    /// <summary>Removes every restoring task.</summary>
    public void Clear()
    {
        foreach (var input in _tasks.Keys.ToList())
        {
            Remove(input);
        }
    }

    /// <summary>Destroys the restore consumer; its tasks are removed by <see cref="Clear"/>.</summary>
    public void Dispose() => _consumer?.Dispose();

    private void Report(ChangelogRestore restore)
    {
        var elapsed = clock.GetElapsedTime(restore.Started);
        var task = restore.Task.Task.Id;
        observer.Restored(restore.Store.Name, task.Partition, restore.Records, elapsed);
        logger.LogInformation("Restored {Store} of task {Task}: {Records} changelog records in {Elapsed}", restore.Store.Name, task, restore.Records, elapsed);
    }

    private sealed class RestoringTask(StreamTask task)
    {
        public StreamTask Task { get; } = task;

        /// <summary>Changelogs not yet read to their end.</summary>
        public int Unfinished { get; set; }
    }

    private sealed class ChangelogRestore(RestoringTask task, IChangeLoggedStore store, long end, long started)
    {
        public RestoringTask Task { get; } = task;

        public IChangeLoggedStore Store { get; } = store;

        public long End { get; } = end;

        public long Started { get; } = started;

        public long Records { get; set; }

        /// <summary>How many of <see cref="Records"/> the observer has been told of.</summary>
        public long Reported { get; set; }
    }
}
