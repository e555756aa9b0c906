using KpiStream.Core.Journeys;
using KpiStream.Core.Kpis;

namespace KpiStream.Core.Slos;

/// <summary>The good and total outcomes an SLO counts in a window's KPI counters.</summary>
public static class SliMeasure
{
    public static SliCounts Of(SloSpec slo, KpiCounters counters) => slo.Sli switch
    {
        SliKind.EventRatio => new(counters.Successes, counters.Successes + counters.Failures),
        SliKind.Availability => new(counters.Requests - counters.RequestErrors, counters.Requests),
        SliKind.Latency => new(counters.Latency.CountAtOrBelow(slo.LatencyThreshold!.Value), counters.Latency.Count),
        _ => throw new ArgumentOutOfRangeException(nameof(slo), slo.Sli, "Unknown SLI kind."),
    };
}
