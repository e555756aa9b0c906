namespace KpiStream.Core.Slos;

/// <summary>
/// The state of one alert (an SLO of a journey and segment, at one severity) between
/// evaluations. Idle: <see cref="AlertId"/> is null. Firing: the id and start;
/// <see cref="ClearSince"/> is when its rules stopped tripping, if they have.
/// </summary>
public sealed record AlertLifecycle(string? AlertId, DateTimeOffset StartedAt, DateTimeOffset? ClearSince)
{
    public static readonly AlertLifecycle Idle = new(null, DateTimeOffset.MinValue, null);

    public bool IsFiring => AlertId is not null;

    /// <summary>
    /// Moves the lifecycle to <paramref name="at"/>, given whether a rule of its severity tripped
    /// then. Fires on the first trip; resolves only once nothing has tripped for
    /// <paramref name="resolveAfter"/>, so a flapping SLI stays one alert. Returns the transition
    /// to publish, if any; a new episode after resolving gets a new id.
    /// </summary>
    public (AlertLifecycle Next, AlertTransition? Transition) Step(AlertSeverity severity, bool tripped, DateTimeOffset at, TimeSpan resolveAfter, string subject)
    {
        if (!IsFiring)
        {
            if (!tripped)
            {
                return (this, null);
            }

            var id = $"{subject}|{severity.ToString().ToLowerInvariant()}@{at.ToUnixTimeMilliseconds()}";
            return (new AlertLifecycle(id, at, null), new AlertTransition(id, AlertStatus.Firing, severity, at, null));
        }

        if (tripped)
        {
            return (ClearSince is null ? this : this with { ClearSince = null }, null);
        }

        var clearSince = ClearSince ?? at;
        return at - clearSince >= resolveAfter
            ? (Idle, new AlertTransition(AlertId!, AlertStatus.Resolved, severity, StartedAt, at))
            : (this with { ClearSince = clearSince }, null);
    }
}
