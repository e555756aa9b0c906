using System.Collections.Immutable;
using KpiStream.Core.Slos;

namespace KpiStream.Core.Incidents;

/// <summary>One state change of an incident, as written to kpi.incidents (keyed by <see cref="IncidentId"/>).</summary>
/// <param name="Impact">Customer impact of the whole incident, no session counted twice (see <see cref="Incident.Impact"/>).</param>
/// <param name="DetectionDelay">From the earliest estimated onset among its alerts to its opening; null when none estimates one.</param>
public sealed record IncidentReport(
    string IncidentId,
    IncidentState State,
    AlertSeverity Severity,
    string Journey,
    string Owner,
    DateTimeOffset OpenedAt,
    DateTimeOffset? ClosedAt,
    ImmutableArray<IncidentAlert> Alerts,
    ImmutableArray<string> AffectedSegments,
    string? WorstSegment,
    CustomerImpact Impact,
    ImmutableArray<string> Deploys,
    string Summary,
    TimeSpan? DetectionDelay);
