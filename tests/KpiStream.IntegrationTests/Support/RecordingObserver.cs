using System.Collections.Concurrent;
using KpiStream.Streaming.Runtime;

namespace KpiStream.IntegrationTests.Support;

/// <summary>Keeps the consumer errors and the restore reports the runtime makes; ignores the rest.</summary>
public sealed class RecordingObserver : IRuntimeObserver
{
    public ConcurrentBag<string> ConsumerErrors { get; } = [];

    /// <summary>Every progress report of a restore: store and records.</summary>
    public ConcurrentQueue<(string Store, long Records)> RestoreProgress { get; } = [];

    /// <summary>Every finished restore: store and records in all.</summary>
    public ConcurrentQueue<(string Store, long Records)> Restores { get; } = [];

    public void ConsumerError(string code) => ConsumerErrors.Add(code);

    public void RestoreProgressed(string store, int partition, long records) => RestoreProgress.Enqueue((store, records));

    public void Restored(string store, int partition, long records, TimeSpan elapsed) => Restores.Enqueue((store, records));

    public void RecordsConsumed(string topic, int records)
    {
    }

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
}
