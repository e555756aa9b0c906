namespace KpiStream.Core.Kpis;

/// <summary>What one event does: the counter deltas it causes and the session's state after it.</summary>
/// <param name="Session">The session's start after the event; null if the session has not started.</param>
/// <param name="Successes">The event times of the session's successes after the event.</param>
public readonly record struct FunnelStep(IReadOnlyList<KpiDelta> Deltas, SessionStart? Session, SuccessTimes Successes);
