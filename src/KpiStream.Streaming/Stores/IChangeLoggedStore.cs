namespace KpiStream.Streaming.Stores;

/// <summary>
/// A store whose changes the runtime writes to a compacted changelog topic at each commit, and
/// rebuilds from that topic when a task is assigned.
/// </summary>
public interface IChangeLoggedStore : IStateStore
{
    /// <summary>Moves the write cache to the backing store and returns what changed, each key once, in the order of its first change since the last flush (so the same processing writes the same changelog).</summary>
    IReadOnlyList<ChangelogEntry> Flush();

    /// <summary>Applies a changelog record during restore, bypassing the cache.</summary>
    void Restore(ChangelogEntry entry);

    /// <summary>Entries in the backing store (an estimate for RocksDB).</summary>
    long ApproximateCount { get; }
}
