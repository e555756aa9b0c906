using KpiStream.Core.Kpis;

namespace KpiStream.Processor.Kpis;

/// <summary>A session's start in stage 1, with the highest input offset that changed it.</summary>
/// <param name="UserPseudonym">Keyed hash of the user who started it; raw user ids never reach state.</param>
public sealed record SessionState(SessionStart Start, string? UserPseudonym, long AppliedOffset);
