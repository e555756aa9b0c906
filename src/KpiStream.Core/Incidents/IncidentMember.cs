using KpiStream.Core.Slos;

namespace KpiStream.Core.Incidents;

/// <summary>One alert of an incident, as of its latest kpi.alerts record.</summary>
/// <param name="Slo">The alert's <c>slo</c>: an SLO, a composite rule or <c>silence</c>.</param>
/// <param name="SegmentKey">The segment the alert judges, or <see cref="Incident.JourneyWide"/>.</param>
/// <param name="Onset">When what tripped the alert began, where its judge estimates it.</param>
public sealed record IncidentMember(
    string AlertId,
    string Slo,
    string SegmentKey,
    AlertSeverity Severity,
    AlertStatus Status,
    DateTimeOffset StartedAt,
    CustomerImpact Impact,
    DateTimeOffset? Onset)
{
    public bool IsJourneyWide => SegmentKey == Incident.JourneyWide;

    public bool IsFiring => Status == AlertStatus.Firing;

    public static IncidentMember Of(SloAlert alert) => new(
        alert.AlertId,
        alert.Slo,
        alert.SegmentKey,
        alert.Severity,
        alert.Status,
        alert.StartedAt,
        alert.Impact,
        alert.DetectionDelay is { } delay ? alert.StartedAt - delay : null);

    /// <summary>The dimensions the segment key names (<c>plan_tier,region</c>): segments with the same dimensions never share a session.</summary>
    public string Dimensions => IsJourneyWide ? Incident.JourneyWide : string.Join(",", SegmentKey.Split(',').Select(pair => pair.Split('=')[0]));
}
