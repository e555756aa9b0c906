using KpiStream.Streaming.Processors;

namespace KpiStream.Streaming.Stores;

/// <summary>Where a task's stores live: null <see cref="StateDirectory"/> keeps them in memory.</summary>
public sealed class StoreContext(TaskId taskId, string? stateDirectory)
{
    private TaskDatabase? _database;

    public TaskId TaskId { get; } = taskId;

    public string? StateDirectory { get; } = stateDirectory;

    /// <summary>The task's RocksDB database, shared by its stores; only with a state directory.</summary>
    internal TaskDatabase Database =>
        _database ??= new TaskDatabase(Path.Combine(StateDirectory ?? throw new InvalidOperationException("In-memory stores have no database."), TaskId.ToString()));
}
