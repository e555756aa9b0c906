namespace KpiStream.Core.Kpis;

/// <summary>A change to add to the counters of one KPI window.</summary>
public sealed record KpiDelta(KpiWindowKey Key, Segment Segment, KpiCounters Counters);
