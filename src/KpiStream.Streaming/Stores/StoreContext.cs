using KpiStream.Streaming.Runtime;

namespace KpiStream.Streaming.Stores;

/// <summary>Where a task's store lives: null <see cref="StateDirectory"/> keeps it in memory.</summary>
public sealed record StoreContext(TaskId TaskId, string? StateDirectory);
