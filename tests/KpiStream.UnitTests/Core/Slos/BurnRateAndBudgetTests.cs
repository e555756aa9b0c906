using KpiStream.Core.Slos;

namespace KpiStream.UnitTests.Core.Slos;

public class BurnRateAndBudgetTests
{
    [Fact]
    public void Burn_rate_is_the_error_rate_over_the_rate_the_objective_allows()
    {
        // 15 bad of 1,000 is 1.5%; a 99.9% objective allows 0.1%: fifteen times too fast.
        Assert.Equal(15.0, BurnRate.Of(new SliCounts(985, 1_000), 0.999), precision: 9);
        Assert.Equal(1.0, BurnRate.Of(new SliCounts(995, 1_000), 0.995), precision: 9);
        Assert.Equal(0.0, BurnRate.Of(SliCounts.None, 0.999));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(1.5)]
    public void Objectives_outside_zero_to_one_are_refused(double objective) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => BurnRate.Of(new SliCounts(1, 2), objective));

    [Fact]
    public void The_budget_is_the_bad_outcomes_the_objective_allows_and_its_consumed_share()
    {
        // 99.5% of 10,000 allows 50 bad; 20 bad spent 40% of it.
        var budget = new ErrorBudget(0.995, new SliCounts(9_980, 10_000));
        Assert.Equal(50.0, budget.AllowedBad, precision: 9);
        Assert.Equal(0.4, budget.Consumed, precision: 9);
        Assert.Equal(0.6, budget.Remaining, precision: 9);

        var overspent = new ErrorBudget(0.995, new SliCounts(9_925, 10_000));
        Assert.Equal(1.5, overspent.Consumed, precision: 9);
        Assert.Equal(-0.5, overspent.Remaining, precision: 9);
        Assert.Equal(1.0, new ErrorBudget(0.995, SliCounts.None).Remaining);
    }

    [Theory]
    [InlineData(1, "1m")]
    [InlineData(5, "5m")]
    [InlineData(90, "90m")]
    [InlineData(60, "1h")]
    [InlineData(360, "6h")]
    [InlineData(1_440, "1d")]
    [InlineData(4_320, "3d")]
    public void Windows_are_named_as_in_policies(int minutes, string name) =>
        Assert.Equal(name, SloWindow.OfMinutes(minutes).Name);

    [Fact]
    public void Windows_are_whole_positive_minutes()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SloWindow(TimeSpan.FromSeconds(90)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SloWindow(TimeSpan.Zero));
    }
}
