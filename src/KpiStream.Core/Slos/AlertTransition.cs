namespace KpiStream.Core.Slos;

/// <summary>A change of an alert's state: it fired, escalated (fired again at a more urgent severity) or resolved.</summary>
public sealed record AlertTransition(string AlertId, AlertStatus Status, AlertSeverity Severity, DateTimeOffset StartedAt, DateTimeOffset? EndedAt);
