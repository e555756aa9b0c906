namespace KpiStream.Core.Slos;

/// <summary>A change of an alert's state: it fired, escalated (fired again at a more urgent severity) or resolved.</summary>
/// <param name="Onset">When what made the alert fire began, as its judge estimated when it fired; null where it could not.</param>
public sealed record AlertTransition(string AlertId, AlertStatus Status, AlertSeverity Severity, DateTimeOffset StartedAt, DateTimeOffset? EndedAt, DateTimeOffset? Onset = null);
