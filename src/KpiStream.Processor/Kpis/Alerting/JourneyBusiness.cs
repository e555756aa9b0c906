namespace KpiStream.Processor.Kpis.Alerting;

/// <summary>A journey's business volume in one closed minute, all segments together, as stored for alert impact.</summary>
/// <param name="RevenueMinor">Sum of success amounts in minor units; a journey is assumed to sell in one currency.</param>
public sealed record JourneyBusiness(string Journey, long MinuteStartMs, long Attempts, long Successes, long RevenueMinor);
