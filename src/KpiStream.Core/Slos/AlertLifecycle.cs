namespace KpiStream.Core.Slos;

/// <summary>
/// The state of one alertable subject (an SLO of a journey and segment) between evaluations.
/// Idle: <see cref="AlertId"/> is null. Firing: the id, severity and start; <see cref="ClearSince"/>
/// is when rules stopped tripping, if they have.
/// </summary>
public sealed record AlertLifecycle(string? AlertId, AlertSeverity Severity, DateTimeOffset StartedAt, DateTimeOffset? ClearSince)
{
    public static readonly AlertLifecycle Idle = new(null, AlertSeverity.Ticket, DateTimeOffset.MinValue, null);

    public bool IsFiring => AlertId is not null;

    /// <summary>
    /// Moves the lifecycle to <paramref name="at"/> given the most urgent severity tripped then
    /// (null: none). Fires on the first trip; escalates but never downgrades while firing; resolves
    /// only once nothing has tripped for <paramref name="resolveAfter"/>, so a flapping SLI stays one
    /// alert. Returns the transition to publish, if any.
    /// </summary>
    public (AlertLifecycle Next, AlertTransition? Transition) Step(AlertSeverity? tripped, DateTimeOffset at, TimeSpan resolveAfter, string subject)
    {
        if (!IsFiring)
        {
            if (tripped is not { } severity)
            {
                return (this, null);
            }

            var id = $"{subject}@{at.ToUnixTimeMilliseconds()}";
            return (new AlertLifecycle(id, severity, at, null), new AlertTransition(id, AlertStatus.Firing, severity, at, null));
        }

        if (tripped is { } now)
        {
            var escalated = now < Severity;
            var next = this with { Severity = escalated ? now : Severity, ClearSince = null };
            return (next, escalated ? new AlertTransition(AlertId!, AlertStatus.Firing, now, StartedAt, null) : null);
        }

        var clearSince = ClearSince ?? at;
        return at - clearSince >= resolveAfter
            ? (Idle, new AlertTransition(AlertId!, AlertStatus.Resolved, Severity, StartedAt, at))
            : (this with { ClearSince = clearSince }, null);
    }
}
