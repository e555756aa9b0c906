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
        return new KpiCounters(random.Next(1000), random.Next(1000), random.Next(1000), random.Next(1000), random.Next(1000), revenue, random.Next(10), random.Next(10));
    }
}
