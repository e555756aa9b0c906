namespace KpiStream.Core.Kpis;

/// <summary>What one event does: the counter deltas it causes and the session state after it.</summary>
/// <param name="Session">The session's start after the event; null if the session has not started.</param>
public readonly record struct FunnelStep(IReadOnlyList<KpiDelta> Deltas, SessionStart? Session);
