using Confluent.Kafka;
using KpiStream.Streaming.Processors;

namespace KpiStream.Streaming.Runtime;

/// <summary>
/// A stream thread's partitions whose next record waits for an unavailable dependency
/// (<see cref="DependencyUnavailableException"/>): each is sought back to that record and paused,
/// then resumed after a backoff that doubles with every failed attempt up to a limit. Records of
/// such a partition fetched before the pause are held back; they are fetched again.
/// </summary>
internal sealed class WaitingPartitions(TimeProvider clock, TimeSpan firstDelay, TimeSpan maxDelay)
{
    private readonly Dictionary<TopicPartition, Entry> _entries = [];

    // Written by the stream thread, read by /readyz.
    private volatile string? _reason;

    public int Count => _entries.Count;

    /// <summary>What the partitions wait for, as "dependency: reason" of the latest failure; null when none waits. Safe to read from any thread.</summary>
    public string? Reason
    {
        get => _reason;
        private set => _reason = value;
    }

    /// <summary>Whether a record of <paramref name="partition"/> must not be processed now: its partition waits, and the record is fetched again when it resumes.</summary>
    public bool Holds(TopicPartition partition) => _entries.Count > 0 && _entries.TryGetValue(partition, out var entry) && !entry.Resumed;

    /// <summary>Makes <paramref name="partition"/> wait, from the record at <paramref name="offset"/>; true when it was not waiting already.</summary>
    public bool Wait(IConsumer<byte[]?, byte[]?> consumer, TopicPartition partition, long offset, DependencyUnavailableException cause)
    {
        var isNew = !_entries.TryGetValue(partition, out var entry);
        entry ??= _entries[partition] = new Entry();
        entry.Offset = offset;
        entry.Attempts++;
        entry.RetryAt = clock.GetUtcNow() + DelayAfter(entry.Attempts);
        entry.Resumed = false;
        Reason = $"{cause.Dependency}: {cause.Reason}";
        consumer.Seek(new TopicPartitionOffset(partition, offset));
        consumer.Pause([partition]);
        return isNew;
    }

    /// <summary>A record of <paramref name="partition"/> was processed; true when the partition had been waiting.</summary>
    public bool Release(TopicPartition partition)
    {
        if (_entries.Count == 0 || !_entries.Remove(partition))
        {
            return false;
        }

        Reason = _entries.Count == 0 ? null : Reason;
        return true;
    }

    /// <summary>Resumes the partitions whose backoff has passed, from their waiting record; keeps the others paused (back-pressure may have resumed them).</summary>
    public void ResumeDue(IConsumer<byte[]?, byte[]?> consumer)
    {
        var now = clock.GetUtcNow();
        foreach (var (partition, entry) in _entries)
        {
            if (entry.Resumed)
            {
                continue;
            }

            if (now < entry.RetryAt)
            {
                consumer.Pause([partition]);
                continue;
            }

            consumer.Seek(new TopicPartitionOffset(partition, entry.Offset));
            consumer.Resume([partition]);
            entry.Resumed = true;
        }
    }

    /// <summary>Forgets partitions no longer this thread's, or all of them (null) when tasks rewind; returns how many were waiting.</summary>
    public int Forget(IEnumerable<TopicPartition>? partitions)
    {
        var before = _entries.Count;
        if (partitions is null)
        {
            _entries.Clear();
        }
        else
        {
            foreach (var partition in partitions)
            {
                _entries.Remove(partition);
            }
        }

        Reason = _entries.Count == 0 ? null : Reason;
        return before - _entries.Count;
    }

    private TimeSpan DelayAfter(int attempts) =>
        TimeSpan.FromTicks(Math.Min(maxDelay.Ticks, firstDelay.Ticks * (1L << Math.Min(attempts - 1, 20))));

    private sealed class Entry
    {
        public long Offset { get; set; }

        public int Attempts { get; set; }

        public DateTimeOffset RetryAt { get; set; }

        public bool Resumed { get; set; }
    }
}
