using System.Collections.Immutable;

namespace KpiStream.Processor.Kpis.Alerting;

/// <summary>What a judge says about an alert that changed: the rest of the kpi.alerts record is the stage's.</summary>
/// <param name="Name">The alert's <c>slo</c> field: the SLO, the composite rule or <c>silence</c>.</param>
public sealed record AlertDescription(string Name, string SegmentKey, string Summary, Uri? Runbook, ImpactBasis Impact)
{
    public ImmutableSortedDictionary<string, double> BurnRates { get; init; } = ImmutableSortedDictionary<string, double>.Empty;

    public ImmutableArray<string> TrippedWindows { get; init; } = [];

    public double BudgetConsumed { get; init; }
}
