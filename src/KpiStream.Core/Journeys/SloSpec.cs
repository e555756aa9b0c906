using System.Collections.Immutable;
using KpiStream.Core.Slos;

namespace KpiStream.Core.Journeys;

/// <summary>A service level objective of a journey, as declared by its owner.</summary>
/// <param name="Objective">Target share of good outcomes, strictly between 0 and 1 (e.g. 0.995).</param>
/// <param name="Period">Rolling period the error budget is measured over.</param>
/// <param name="LatencyThreshold">Required for <see cref="SliKind.Latency"/>, absent otherwise.</param>
/// <param name="Alerting">When the SLO alerts; the SRE workbook's policy unless the owner names another.</param>
/// <param name="Runbook">Where responders start, carried on every alert of this SLO.</param>
public sealed record SloSpec(string Name, SliKind Sli, double Objective, TimeSpan Period, TimeSpan? LatencyThreshold, AlertPolicy Alerting, Uri? Runbook)
{
    /// <summary>Dimension values judged against their own objective or weighed by their own criticality.</summary>
    public ImmutableArray<SegmentObjective> Segments { get; init; } = [];

    /// <summary>
    /// The objective a segment is judged against: the strictest of the terms its values have
    /// (a combination may have several), or the SLO's. The journey as a whole keeps the SLO's.
    /// </summary>
    public double ObjectiveIn(string segmentKey) =>
        Segments.Where(s => s.Objective is not null && s.Matches(segmentKey)).Select(s => s.Objective!.Value).DefaultIfEmpty(Objective).Max();

    /// <summary>The criticality of a segment's alerts: the highest of the terms its values have, or null for the journey's.</summary>
    public double? CriticalityIn(string segmentKey) =>
        Segments.Where(s => s.Criticality is not null && s.Matches(segmentKey)).Select(s => s.Criticality).Max();
}
