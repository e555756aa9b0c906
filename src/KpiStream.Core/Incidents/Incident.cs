using System.Collections.Immutable;
using System.Globalization;
using KpiStream.Core.Slos;

namespace KpiStream.Core.Incidents;

/// <summary>
/// The alerts of one journey that overlap in time, as one problem: an alert that fires while its
/// journey has an open incident joins it, and the incident closes when the last of its alerts
/// resolves. While a journey-wide alert of the incident fires, its segment alerts of the same or
/// lower urgency are annotations of it (they name where it hurts most) rather than alerts of their own.
/// </summary>
/// <param name="IncidentId">Stable for the incident's life, and the same on replay: the journey and the event time it opened.</param>
/// <param name="Members">Every alert that joined it, in the order they joined, each as of its latest record.</param>
/// <param name="Deploys">The deploys its alerts name, first seen first.</param>
public sealed record Incident(
    string IncidentId,
    string Journey,
    string Owner,
    IncidentState State,
    DateTimeOffset OpenedAt,
    DateTimeOffset? ClosedAt,
    ImmutableArray<IncidentMember> Members,
    ImmutableArray<string> Deploys)
{
    /// <summary>The segment key of an alert about the whole journey.</summary>
    public const string JourneyWide = "*";

    /// <summary>Opens an incident with its first alert, which must be firing.</summary>
    public static Incident Open(SloAlert first)
    {
        if (first.Status != AlertStatus.Firing)
        {
            throw new ArgumentException($"An incident opens with a firing alert; {first.AlertId} is {first.Status}.", nameof(first));
        }

        return new Incident($"{first.Journey}@{first.StartedAt.ToUnixTimeMilliseconds()}", first.Journey, first.Owner, IncidentState.Open, first.StartedAt, null, [IncidentMember.Of(first)], first.Deploys);
    }

    /// <summary>The incident with the alert's latest record in it; closed at <paramref name="at"/> once none of its alerts fires.</summary>
    public Incident With(SloAlert alert, DateTimeOffset at)
    {
        if (alert.Journey != Journey)
        {
            throw new ArgumentException($"Alert {alert.AlertId} of journey {alert.Journey} cannot join incident {IncidentId} of {Journey}.", nameof(alert));
        }

        var latest = IncidentMember.Of(alert);
        var known = Members.FirstOrDefault(m => m.AlertId == alert.AlertId);
        // Only an alert's FIRING record estimates its onset; its resolution keeps the one it had, so a closed incident keeps its detection delay.
        var member = known is null ? latest : latest with { Onset = latest.Onset ?? known.Onset };
        var members = known is null ? Members.Add(member) : Members.Replace(known, member);
        var deploys = Deploys.AddRange(alert.Deploys.Where(d => !Deploys.Contains(d)).Distinct());
        var open = members.Any(m => m.IsFiring);
        return this with
        {
            Members = members,
            Deploys = deploys,
            State = open ? IncidentState.Open : IncidentState.Closed,
            ClosedAt = open ? null : at,
        };
    }

    /// <summary>The most urgent severity among its alerts, firing or not: an incident that paged stays a page.</summary>
    public AlertSeverity Severity => Members.Min(m => m.Severity);

    /// <summary>
    /// Whether the alert is an annotation of the incident's journey-wide alert: a segment alert while a journey-wide
    /// alert at least as urgent fires (a journey-wide ticket does not silence a segment's page).
    /// </summary>
    public bool Annotates(string alertId) =>
        Members.FirstOrDefault(m => m.AlertId == alertId) is { IsJourneyWide: false } segment
        && Members.Any(m => m.IsJourneyWide && m.IsFiring && m.Severity <= segment.Severity);

    /// <summary>The segments its segment alerts name, in key order.</summary>
    public ImmutableArray<string> AffectedSegments =>
        [.. Members.Where(m => !m.IsJourneyWide).Select(m => m.SegmentKey).Distinct().Order(StringComparer.Ordinal)];

    /// <summary>The segment whose alert hurts customers most (highest impact score), or null when no segment alert joined.</summary>
    public string? WorstSegment =>
        Members.Where(m => !m.IsJourneyWide)
            .OrderByDescending(m => m.Impact.Score).ThenBy(m => m.SegmentKey, StringComparer.Ordinal)
            .FirstOrDefault()?.SegmentKey;

    /// <summary>
    /// The customer impact of the whole incident, with no session counted twice. Alerts of one
    /// segment (several SLOs, a page and a ticket) see the same sessions: the largest counts. Segments
    /// of the same dimensions (two regions) are disjoint: they add up. Segments of different
    /// dimensions (a region and a plan tier) may overlap, and a journey-wide alert holds them all:
    /// the largest of those sums counts. The score is the highest of its alerts'.
    /// </summary>
    public CustomerImpact Impact
    {
        get
        {
            var largest = Members
                .GroupBy(m => m.Dimensions)
                .Select(dimension => dimension
                    .GroupBy(m => m.SegmentKey)
                    .Select(segment => (Sessions: segment.Max(m => m.Impact.AffectedSessions), Revenue: segment.Max(m => m.Impact.RevenueAtRiskMinor)))
                    .Aggregate((Sessions: 0L, Revenue: 0L), (sum, segment) => (sum.Sessions + segment.Sessions, sum.Revenue + segment.Revenue)))
                .MaxBy(sum => (sum.Sessions, sum.Revenue));
            return new CustomerImpact(largest.Sessions, largest.Revenue, Members.Max(m => m.Impact.Score));
        }
    }

    /// <summary>From the earliest estimated onset among its alerts to its opening (event time); null when no alert estimates one.</summary>
    public TimeSpan? DetectionDelay
    {
        get
        {
            var onsets = Members.Select(m => m.Onset).OfType<DateTimeOffset>().ToList();
            return onsets.Count == 0 ? null : OpenedAt - onsets.Min();
        }
    }

    /// <summary>The incident as written to kpi.incidents.</summary>
    public IncidentReport Report() => new(
        IncidentId,
        State,
        Severity,
        Journey,
        Owner,
        OpenedAt,
        ClosedAt,
        [.. Members.Select(m => new IncidentAlert(m.AlertId, m.Slo, m.SegmentKey, m.Severity, m.Status, m.StartedAt, Annotates(m.AlertId)))],
        AffectedSegments,
        WorstSegment,
        Impact,
        Deploys,
        Summary(),
        DetectionDelay);

    private string Summary()
    {
        var alerts = Members.Select(m => string.Create(
            CultureInfo.InvariantCulture,
            $"{m.Slo}{(m.IsJourneyWide ? "" : $" in {m.SegmentKey}")} ({m.Severity.ToString().ToLowerInvariant()}, {(m.IsFiring ? "firing" : "resolved")}{(Annotates(m.AlertId) ? ", annotation" : "")})"));
        var state = State == IncidentState.Open ? "open" : string.Create(CultureInfo.InvariantCulture, $"closed after {(ClosedAt!.Value - OpenedAt).TotalMinutes:0} min");
        var worst = WorstSegment is { } segment ? $"; worst segment {segment}" : "";
        return $"{Severity}: incident of {Journey}, {state}: {string.Join(", ", alerts)}{worst}";
    }
}
