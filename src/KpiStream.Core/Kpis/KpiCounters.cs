namespace KpiStream.Core.Kpis;

/// <summary>
/// The additive KPI counters of one journey, segment and window: business events of its
/// sessions, and requests to the services that serve it (from telemetry). <see cref="Merge"/> is a
/// pointwise sum, so partial counters combine in any grouping and order.
/// </summary>
public sealed record KpiCounters(
    long Attempts,
    long Successes,
    long Failures,
    long SessionsStarted,
    long SessionsConverted,
    CurrencyAmounts Revenue,
    long LateRecords,
    long DuplicateRecords,
    long Requests,
    long RequestErrors,
    LatencyHistogram Latency)
{
    public static readonly KpiCounters Zero = new(0, 0, 0, 0, 0, CurrencyAmounts.None, 0, 0, 0, 0, LatencyHistogram.Empty);

    /// <summary>successes / (successes + failures); null when the window saw no outcome.</summary>
    public double? SuccessRate => Successes + Failures == 0 ? null : (double)Successes / (Successes + Failures);

    /// <summary>sessions converted / sessions started; null when no session started.</summary>
    public double? ConversionRate => SessionsStarted == 0 ? null : (double)SessionsConverted / SessionsStarted;

    public KpiCounters Merge(KpiCounters other) => new KpiCountersSum(this).Add(other).ToCounters();

    /// <summary>The sum of any number of counters, through one running sum instead of a record per addition.</summary>
    public static KpiCounters Sum(IEnumerable<KpiCounters> counters)
    {
        var sum = new KpiCountersSum(Zero);
        foreach (var item in counters)
        {
            sum.Add(item);
        }

        return sum.ToCounters();
    }
}
