using System.Collections.Concurrent;
using KpiStream.Streaming.Runtime;

namespace KpiStream.IntegrationTests.Support;

/// <summary>
/// Keeps the consumer errors, the restore reports and the input consumed that the runtime reports,
/// each report numbered in the order it came; ignores the rest.
/// </summary>
public sealed class RecordingObserver : IRuntimeObserver
{
    private long _reports;

    public ConcurrentBag<string> ConsumerErrors { get; } = [];

    /// <summary>Every progress report of a restore.</summary>
    public ConcurrentQueue<Report> RestoreProgress { get; } = [];

    /// <summary>Every finished restore, with its records in all.</summary>
    public ConcurrentQueue<Report> Restores { get; } = [];

    /// <summary>Every batch's input records handed to tasks, per topic (partition -1: not reported).</summary>
    public ConcurrentQueue<Report> Consumed { get; } = [];

    public void ConsumerError(string code) => ConsumerErrors.Add(code);

    public void RestoreProgressed(string store, int partition, long records) => RestoreProgress.Enqueue(Next(store, partition, records));

    public void Restored(string store, int partition, long records, TimeSpan elapsed) => Restores.Enqueue(Next(store, partition, records));

    public void RecordsConsumed(string topic, int records) => Consumed.Enqueue(Next(topic, -1, records));

    public void RecordsProduced(string topic, int records)
    {
    }

    public void BatchProcessed(int records, TimeSpan elapsed)
    {
    }

    public void Committed(TimeSpan elapsed)
    {
    }

    public void Aborted(string reason)
    {
    }

    public void Rebalanced(int taskChange)
    {
    }

    public void StoreSize(string store, int partition, long entries)
    {
    }

    public void Lag(string topic, int partition, long lag)
    {
    }

    public void InputPaused(TimeSpan duration)
    {
    }

    public void DependencyUnavailable(string dependency)
    {
    }

    public void PartitionsWaiting(int change)
    {
    }

    private Report Next(string name, int partition, long records) => new(name, partition, records, Interlocked.Increment(ref _reports));

    /// <param name="Name">The store or topic.</param>
    /// <param name="Sequence">Its place among all the reports kept, from 1.</param>
    public sealed record Report(string Name, int Partition, long Records, long Sequence);
}
