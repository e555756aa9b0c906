using KpiStream.Streaming.Processors;

namespace KpiStream.Streaming.Stores;

/// <summary>
/// A store whose changes the runtime writes to a compacted changelog topic at each commit, and
/// rebuilds from that topic when a task is assigned.
/// </summary>
public interface IChangeLoggedStore : IStateStore
{
    /// <summary>
    /// Moves the write cache to the backing store and hands each change to <paramref name="write"/>,
    /// each key once, in the order of its first change since the last flush (so the same processing
    /// writes the same changelog). Nothing is kept once handed over: a commit's changes can be tens
    /// of thousands of records, and held in a list they outlived collections and were promoted.
    /// </summary>
    void Flush(Action<ChangelogEntry> write);

    /// <summary>Applies a changelog record during restore, bypassing the cache.</summary>
    void Restore(ChangelogEntry entry);

    /// <summary>Entries in the backing store (an estimate for RocksDB).</summary>
    long ApproximateCount { get; }
}
