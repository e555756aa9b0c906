using System.Collections.Immutable;
using KpiStream.Core.Kpis;

namespace KpiStream.Core.Composites;

/// <summary>Reads a <see cref="KpiSignal"/> from counters, with the number of samples behind the value.</summary>
public static class KpiSignals
{
    /// <summary>The signals by the names used in configuration.</summary>
    public static readonly ImmutableSortedDictionary<string, KpiSignal> ByName = new Dictionary<string, KpiSignal>
    {
        ["conversion"] = KpiSignal.Conversion,
        ["success_rate"] = KpiSignal.SuccessRate,
        ["error_rate"] = KpiSignal.ErrorRate,
        ["latency_p50_ms"] = KpiSignal.LatencyP50Ms,
        ["latency_p95_ms"] = KpiSignal.LatencyP95Ms,
        ["latency_p99_ms"] = KpiSignal.LatencyP99Ms,
        ["attempts_per_minute"] = KpiSignal.AttemptsPerMinute,
        ["requests_per_minute"] = KpiSignal.RequestsPerMinute,
    }.ToImmutableSortedDictionary(StringComparer.Ordinal);

    public static string Name(this KpiSignal signal) => ByName.First(kv => kv.Value == signal).Key;

    /// <summary>
    /// The signal's value over counters summed across <paramref name="span"/>, null when it has no
    /// denominator; and how many samples (attempts, outcomes or requests) it rests on.
    /// </summary>
    public static SignalValue Read(this KpiSignal signal, KpiCounters counters, TimeSpan span) => signal switch
    {
        KpiSignal.Conversion => Ratio(counters.Successes, counters.Attempts),
        KpiSignal.SuccessRate => Ratio(counters.Successes, counters.Successes + counters.Failures),
        KpiSignal.ErrorRate => Ratio(counters.RequestErrors, counters.Requests),
        KpiSignal.LatencyP50Ms => Latency(counters.Latency, 50),
        KpiSignal.LatencyP95Ms => Latency(counters.Latency, 95),
        KpiSignal.LatencyP99Ms => Latency(counters.Latency, 99),
        KpiSignal.AttemptsPerMinute => new(counters.Attempts / span.TotalMinutes, counters.Attempts),
        KpiSignal.RequestsPerMinute => new(counters.Requests / span.TotalMinutes, counters.Requests),
        _ => throw new ArgumentOutOfRangeException(nameof(signal), signal, "Unknown signal."),
    };

    private static SignalValue Ratio(long part, long whole) => new(whole == 0 ? null : (double)part / whole, whole);

    private static SignalValue Latency(LatencyHistogram latency, double percentile) =>
        new(latency.Percentile(percentile)?.TotalMilliseconds, latency.Count);
}
