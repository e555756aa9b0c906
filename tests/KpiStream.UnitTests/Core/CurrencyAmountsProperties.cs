using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using KpiStream.Core.Kpis;

namespace KpiStream.UnitTests.Core;

public sealed class CurrencyAmountsProperties
{
    private static readonly string[] Currencies = ["USD", "EUR", "JPY", "GBP", "CHF"];

    private static readonly Arbitrary<(string Currency, long Amount)[]> Amounts = Gen.ListOf(
            Gen.Zip(Gen.Elements(Currencies), Gen.Choose(-1_000, 100_000)).Select(p => (p.Item1, (long)p.Item2)))
        .Select(list => list.ToArray())
        .ToArbitrary();

    [Property]
    public Property Adding_amounts_in_any_grouping_gives_the_sum_per_currency() =>
        Prop.ForAll(Amounts, Amounts, (left, right) =>
        {
            var expected = left.Concat(right).GroupBy(a => a.Currency).ToDictionary(g => g.Key, g => g.Sum(a => a.Amount));
            var oneByOne = left.Concat(right).Aggregate(CurrencyAmounts.None, (sum, a) => sum.Add(a.Currency, a.Amount));
            var halves = Sum(right).Plus(Sum(left));
            return oneByOne.Equals(halves)
                && oneByOne.GetHashCode() == halves.GetHashCode()
                && oneByOne.Amounts.Count == expected.Count
                && expected.All(kv => oneByOne[kv.Key] == kv.Value && oneByOne.Amounts[kv.Key] == kv.Value);
        });

    [Fact]
    public void Amounts_read_in_currency_order_and_a_zero_amount_is_kept()
    {
        var amounts = CurrencyAmounts.Of("USD", 500).Plus(CurrencyAmounts.Of("EUR", 1999)).Add("JPY", 0);

        Assert.Equal(["EUR", "JPY", "USD"], amounts.Amounts.Keys);
        Assert.Equal("EUR:1999,JPY:0,USD:500", amounts.ToString());
        Assert.NotEqual(CurrencyAmounts.Of("EUR", 1999).Add("USD", 500), amounts);
        Assert.Equal(0, amounts["CHF"]);
        Assert.Throws<OverflowException>(() => CurrencyAmounts.Of("EUR", long.MaxValue).Add("EUR", 1));
    }

    private static CurrencyAmounts Sum(IEnumerable<(string Currency, long Amount)> amounts) =>
        amounts.Aggregate(CurrencyAmounts.None, (sum, a) => sum.Plus(CurrencyAmounts.Of(a.Currency, a.Amount)));
}
