namespace KpiStream.Processor.Kpis.Alerting;

/// <summary>The SLI counts of one SLO, journey and segment over one step (a minute, or an hour for the budget), as stored.</summary>
public sealed record SliMinute(string Slo, string Journey, string SegmentKey, long StepStartMs, long Good, long Total);
