using System.Collections.Immutable;

namespace KpiStream.Core.Slos;

/// <summary>One state change of an SLO alert, as written to kpi.alerts (keyed by <see cref="AlertId"/>).</summary>
/// <param name="SegmentKey">The segment whose SLI is burning.</param>
/// <param name="BurnRates">Burn rate per window name of the SLO's policy at the change.</param>
/// <param name="TrippedWindows">Windows of the rules that tripped at <see cref="Severity"/>; empty on resolve.</param>
/// <param name="BudgetConsumed">Share of the error budget of the SLO period spent, 0..1 and beyond.</param>
/// <param name="Deploys">Deploy ids of the journey's services shortly before the alert started.</param>
public sealed record SloAlert(
    string AlertId,
    AlertStatus Status,
    AlertSeverity Severity,
    string Journey,
    string SegmentKey,
    string Slo,
    ImmutableSortedDictionary<string, double> BurnRates,
    ImmutableArray<string> TrippedWindows,
    double BudgetConsumed,
    DateTimeOffset StartedAt,
    DateTimeOffset? EndedAt,
    string Owner,
    Uri? Runbook,
    CustomerImpact Impact,
    ImmutableArray<string> Deploys,
    string Summary)
{
    /// <summary>On a firing SLO alert: event time from the estimated onset of what tripped it to the firing; null when not estimated.</summary>
    public TimeSpan? DetectionDelay { get; init; }

    /// <summary>The incident the alert belongs to; null only for an alert that began before incidents were kept.</summary>
    public string? IncidentId { get; init; }

    /// <summary>Whether the alert is a segment alert annotating its incident's journey-wide alert, rather than a page of its own.</summary>
    public bool Annotation { get; init; }
}
