using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using KpiStream.Core.Kpis;

namespace KpiStream.UnitTests.Core;

public class KpiCountersProperties
{
    private static readonly string[] Currencies = ["EUR", "USD", "JPY"];

    [Property]
    public bool Merge_is_associative(int a, int b, int c) =>
        Counters(a).Merge(Counters(b)).Merge(Counters(c)) == Counters(a).Merge(Counters(b).Merge(Counters(c)));

    [Property]
    public bool Merge_is_commutative(int a, int b) =>
        Counters(a).Merge(Counters(b)) == Counters(b).Merge(Counters(a));

    [Property]
    public bool Zero_is_the_identity_of_merge(int a) =>
        Counters(a).Merge(KpiCounters.Zero) == Counters(a) && KpiCounters.Zero.Merge(Counters(a)) == Counters(a);

    [Property]
    public Property Merging_partials_in_any_grouping_equals_merging_them_in_order()
    {
        var seeds = Gen.ListOf(ArbMap.Default.GeneratorFor<int>()).ToArbitrary();
        return Prop.ForAll(seeds, list =>
        {
            var parts = list.Select(Counters).ToList();
            var inOrder = parts.Aggregate(KpiCounters.Zero, (sum, c) => sum.Merge(c));
            var halves = parts.Take(parts.Count / 2).Aggregate(KpiCounters.Zero, (s, c) => s.Merge(c))
                .Merge(parts.Skip(parts.Count / 2).Reverse().Aggregate(KpiCounters.Zero, (s, c) => s.Merge(c)));
            return inOrder == halves;
        });
    }

    [Property]
    public Property Summing_many_counters_at_once_equals_merging_them_one_by_one()
    {
        var seeds = Gen.ListOf(ArbMap.Default.GeneratorFor<int>()).ToArbitrary();
        return Prop.ForAll(seeds, list =>
        {
            var parts = list.Select(Counters).ToList();
            return KpiCounters.Sum(parts) == parts.Aggregate(KpiCounters.Zero, (sum, c) => sum.Merge(c));
        });
    }

    [Fact]
    public void A_sum_adds_every_field()
    {
        var a = KpiCounters.Zero with { Attempts = 2, Successes = 1, Revenue = CurrencyAmounts.Of("EUR", 500), Requests = 4, Latency = LatencyHistogram.Of(TimeSpan.FromMilliseconds(10)) };
        var b = KpiCounters.Zero with { Attempts = 3, Failures = 2, Revenue = CurrencyAmounts.Of("EUR", 250).Add("USD", 100), RequestErrors = 1, Latency = LatencyHistogram.Of(TimeSpan.FromMilliseconds(10)) };

        var sum = KpiCounters.Sum([a, b]);

        Assert.Equal((5, 1, 2, 4, 1, 2L), (sum.Attempts, sum.Successes, sum.Failures, sum.Requests, sum.RequestErrors, sum.Latency.Count));
        Assert.Equal((750, 100), (sum.Revenue["EUR"], sum.Revenue["USD"]));
        Assert.Equal(KpiCounters.Zero, KpiCounters.Sum([]));
    }

    [Property]
    public bool A_merged_histogram_counts_every_request_and_its_percentiles_are_within_one_percent(PositiveInt[] latenciesMs)
    {
        if (latenciesMs.Length == 0)
        {
            return LatencyHistogram.Empty.Percentile(99) is null;
        }

        var values = latenciesMs.Select(l => TimeSpan.FromMilliseconds(l.Get % 60_000 + 1)).ToList();
        var halves = values.Take(values.Count / 2).Aggregate(LatencyHistogram.Empty, (h, v) => h.Record(v))
            .Merge(values.Skip(values.Count / 2).Aggregate(LatencyHistogram.Empty, (h, v) => h.Record(v)));
        var sorted = values.Order().ToList();
        return halves.Count == values.Count
            && new[] { 50.0, 95.0, 99.0 }.All(p =>
            {
                // HdrHistogram's rank: the value at rank round(p% of count), at least the first.
                var exact = sorted[Math.Max(1, (int)(p / 100 * sorted.Count + 0.5)) - 1];
                return Math.Abs((halves.Percentile(p)!.Value - exact).TotalMicroseconds) <= exact.TotalMicroseconds * 0.01 + 1;
            });
    }

    [Fact]
    public void A_latency_sli_counts_only_requests_whose_bucket_is_at_or_under_the_threshold()
    {
        var histogram = new[] { 100, 900, 1_499, 1_500, 1_600, 3_000 }
            .Aggregate(LatencyHistogram.Empty, (h, ms) => h.Record(TimeSpan.FromMilliseconds(ms)));

        // Buckets near 1.5 s are 8.192 ms wide: 1,499 ms lies in [1,490.944, 1,499.136), wholly fast;
        // 1,500 ms lies in a bucket reaching above 1,500 ms, so it counts as slow: good is never overstated.
        Assert.Equal(3, histogram.CountAtOrBelow(TimeSpan.FromMilliseconds(1_500)));
        Assert.Equal(5, histogram.CountAtOrBelow(TimeSpan.FromMilliseconds(1_700)));
        Assert.Equal(6, histogram.Count);
    }

    [Fact]
    public void Rates_are_computed_from_counts_and_are_absent_without_a_denominator()
    {
        var counters = KpiCounters.Zero with { Successes = 3, Failures = 1, SessionsStarted = 8, SessionsConverted = 2 };
        Assert.Equal(0.75, counters.SuccessRate);
        Assert.Equal(0.25, counters.ConversionRate);
        Assert.Null(KpiCounters.Zero.SuccessRate);
        Assert.Null(KpiCounters.Zero.ConversionRate);
    }

    /// <summary>Deterministic counters from a seed, including revenue in up to three currencies.</summary>
    private static KpiCounters Counters(int seed)
    {
        var random = new Random(seed);
        var revenue = Enumerable.Range(0, random.Next(4))
            .Aggregate(CurrencyAmounts.None, (sum, _) => sum.Add(Currencies[random.Next(Currencies.Length)], random.Next(0, 1_000_000)));
        return new KpiCounters(random.Next(1000), random.Next(1000), random.Next(1000), random.Next(1000), random.Next(1000), revenue, random.Next(10), random.Next(10), random.Next(1000), random.Next(100), Latencies(random));
    }

    private static LatencyHistogram Latencies(Random random) =>
        Enumerable.Range(0, random.Next(20)).Aggregate(LatencyHistogram.Empty, (h, _) => h.Record(TimeSpan.FromMicroseconds(random.Next(1, 5_000_000))));
}
