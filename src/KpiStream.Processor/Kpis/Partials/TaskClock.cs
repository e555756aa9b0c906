namespace KpiStream.Processor.Kpis.Partials;

/// <summary>
/// A stage-1 task's stream time (highest event time seen), the offset it reflects, and the last
/// time announced downstream.
/// </summary>
/// <param name="AdvancedAt">Wall-clock time at which <see cref="StreamTime"/> was reached, for the emission-latency metric.</param>
public sealed record TaskClock(DateTimeOffset StreamTime, long AppliedOffset, DateTimeOffset Announced, DateTimeOffset AdvancedAt)
{
    public static readonly TaskClock Start = new(DateTimeOffset.MinValue, -1, DateTimeOffset.MinValue, DateTimeOffset.MinValue);
}
