namespace KpiStream.Core.Slos;

/// <summary>
/// The state of one alert (an SLO of a journey and segment, at one severity) between
/// evaluations. Idle: <see cref="AlertId"/> is null. Firing: the id and start;
/// <see cref="ClearSince"/> is when its rules stopped tripping, if they have.
/// </summary>
public sealed record AlertLifecycle(string? AlertId, DateTimeOffset StartedAt, DateTimeOffset? ClearSince)
{
    public static readonly AlertLifecycle Idle = new(null, DateTimeOffset.MinValue, null);

    /// <summary>When what made it fire began, as estimated when it fired, kept so its resolution is judged against the same time.</summary>
    public DateTimeOffset? Onset { get; init; }

    public bool IsFiring => AlertId is not null;

    /// <summary>
    /// Moves the lifecycle to <paramref name="at"/>, given whether a rule of its severity tripped
    /// then. Fires on the first trip; resolves only once nothing has tripped for
    /// <paramref name="resolveAfter"/>, so a flapping SLI stays one alert. Returns the transition
    /// to publish, if any; a new episode after resolving gets a new id.
    /// </summary>
    /// <param name="onset">When what trips it began, where the judge estimates it; kept if it fires now.</param>
    public (AlertLifecycle Next, AlertTransition? Transition) Step(AlertSeverity severity, bool tripped, DateTimeOffset at, TimeSpan resolveAfter, string subject, DateTimeOffset? onset = null)
    {
        if (!IsFiring)
        {
            if (!tripped)
            {
                return (this, null);
            }

            var id = $"{subject}|{severity.ToString().ToLowerInvariant()}@{at.ToUnixTimeMilliseconds()}";
            return (new AlertLifecycle(id, at, null) { Onset = onset }, new AlertTransition(id, AlertStatus.Firing, severity, at, null, onset));
        }

        if (tripped)
        {
            return (ClearSince is null ? this : this with { ClearSince = null }, null);
        }

        var clearSince = ClearSince ?? at;
        return at - clearSince >= resolveAfter
            ? (Idle, new AlertTransition(AlertId!, AlertStatus.Resolved, severity, StartedAt, at, Onset))
            : (this with { ClearSince = clearSince }, null);
    }
}
