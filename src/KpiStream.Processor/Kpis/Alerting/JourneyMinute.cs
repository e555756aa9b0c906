using KpiStream.Core.Kpis;

namespace KpiStream.Processor.Kpis.Alerting;

/// <summary>A journey's counters in one closed minute, all segments summed, as stored for composite alerts.</summary>
public sealed record JourneyMinute(string Journey, DateTimeOffset Start, KpiCounters Counters);
