namespace KpiStream.Core.Slos;

/// <summary>
/// Silent failure: a journey that normally has traffic goes quiet. No events arrive to burn any
/// budget, so this compares the last <see cref="Quiet"/> with the journey's own rate over the
/// <see cref="Baseline"/> before it.
/// </summary>
/// <param name="MinimumBaselinePerMinute">Below this baseline rate silence is normal, not a signal.</param>
/// <param name="MaximumShareOfBaseline">Silent when the quiet span saw at most this share of the traffic the baseline predicts.</param>
public sealed record SilenceRule(TimeSpan Baseline, TimeSpan Quiet, double MinimumBaselinePerMinute, double MaximumShareOfBaseline)
{
    /// <summary>An hour of baseline, ten quiet minutes, at least one event a minute normally, at most 10% of it now.</summary>
    public static readonly SilenceRule Default = new(TimeSpan.FromHours(1), TimeSpan.FromMinutes(10), 1.0, 0.1);

    /// <param name="countBetween">Events in [from, to): from minute buckets, so silence is seen even when no event arrives.</param>
    public bool IsSilent(Func<DateTimeOffset, DateTimeOffset, long> countBetween, DateTimeOffset now)
    {
        var quietFrom = now - Quiet;
        var baselinePerMinute = countBetween(quietFrom - Baseline, quietFrom) / Baseline.TotalMinutes;
        if (baselinePerMinute < MinimumBaselinePerMinute)
        {
            return false;
        }

        var expected = baselinePerMinute * Quiet.TotalMinutes;
        return countBetween(quietFrom, now) <= MaximumShareOfBaseline * expected;
    }
}
