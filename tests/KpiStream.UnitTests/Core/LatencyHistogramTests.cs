using KpiStream.Core.Kpis;

namespace KpiStream.UnitTests.Core;

/// <summary>The percentile convention the README states, on a distribution worked out by hand.</summary>
public class LatencyHistogramTests
{
    private static readonly LatencyHistogram OneToHundredMs =
        Enumerable.Range(1, 100).Aggregate(LatencyHistogram.Empty, (h, ms) => h.Record(TimeSpan.FromMilliseconds(ms)));

    [Theory]
    // Rank = round(p/100 x count), at least 1; the value is the highest of that request's bucket
    // (2 significant digits: 95 ms lies in the 512 µs wide bucket 94.720-95.231 ms).
    [InlineData(95.0, 95_231)]
    [InlineData(50.0, 50_175)]
    [InlineData(99.0, 99_327)]
    [InlineData(0.1, 1_003)]
    public void A_percentile_is_the_highest_value_of_the_bucket_holding_the_request_of_rank_round_p_times_count(double percentile, long expectedMicros)
    {
        Assert.Equal(TimeSpan.FromMicroseconds(expectedMicros), OneToHundredMs.Percentile(percentile));
    }
}
