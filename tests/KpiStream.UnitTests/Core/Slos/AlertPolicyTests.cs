using KpiStream.Core.Slos;

namespace KpiStream.UnitTests.Core.Slos;

public class AlertPolicyTests
{
    private static readonly DateTimeOffset Onset = DateTimeOffset.Parse("2026-11-23T10:00:00Z");

    [Fact]
    public void The_default_policy_is_the_workbooks_multi_window_multi_burn_rate_table()
    {
        var rules = AlertPolicy.Workbook.Rules.Select(r => (r.Severity, r.LongWindow.Name, r.ShortWindow.Name, r.BurnRateThreshold));
        Assert.Equal(
            [(AlertSeverity.Page, "1h", "5m", 14.4), (AlertSeverity.Page, "6h", "30m", 6.0), (AlertSeverity.Ticket, "3d", "6h", 1.0)],
            rules);
        Assert.Equal(["5m", "30m", "1h", "6h", "3d"], AlertPolicy.Workbook.Windows.Select(w => w.Name));
        Assert.Equal(("3d", "3d"), (AlertPolicy.Workbook.LongestWindow.Name, AlertPolicy.Workbook.History.Name));
        Assert.Equal((TimeSpan.FromMinutes(5), 5), (AlertPolicy.Workbook.ResolveAfter, AlertPolicy.Workbook.MinimumBadEvents));
    }

    [Theory]
    // A total outage of a 99.9% SLO: W × threshold × 0.1%.
    [InlineData(0, 1.0, 51.84)]      // 1 h × 14.4 × 0.001
    [InlineData(1, 1.0, 129.6)]      // 6 h × 6 × 0.001
    [InlineData(2, 1.0, 259.2)]      // 3 d × 1 × 0.001
    // 1% errors, ten times the budget: the 1 h rule never trips (it needs 1.44%).
    [InlineData(1, 0.01, 12_960)]    // 6 h × 0.006 / 0.01 = 3.6 h
    [InlineData(2, 0.01, 25_920)]    // 3 d × 0.001 / 0.01 = 7.2 h
    public void Detection_times_are_the_workbooks(int rule, double errorRate, double expectedSeconds) =>
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), AlertPolicy.Workbook.Rules[rule].DetectionTime(0.999, errorRate));

    [Fact]
    public void A_single_failure_in_a_young_history_does_not_trip_the_workbook_policy()
    {
        // One failure in 60 outcomes is 1.7%, 3.3 times a 99.5% budget, over every window: only the floor of 5 bad events stops the ticket.
        var counts = new SliCounts(59, 60);
        Assert.True(AlertPolicy.Workbook.Rules[2].Trips(_ => counts, 0.995));
        Assert.Null(AlertPolicy.Workbook.Evaluate(_ => counts, 0.995).Severity);
        Assert.Equal(AlertSeverity.Ticket, AlertPolicy.Workbook.Evaluate(_ => new SliCounts(295, 300), 0.995).Severity);
    }

    [Fact]
    public void An_error_rate_below_a_rules_threshold_is_never_detected_by_it() =>
        Assert.Null(AlertPolicy.Workbook.Rules[0].DetectionTime(0.999, 0.01));

    [Fact]
    public void Evaluation_reports_the_burn_rate_of_every_window_and_the_rules_that_tripped()
    {
        // 99.9% objective; 1,000 requests a minute for three days, then 2% errors from the onset.
        var timeline = new SliLedger(TimeSpan.FromMinutes(1), 4_320);
        var evaluations = new Dictionary<int, BurnRateEvaluation>();
        for (var minute = -4_320; minute < 60; minute++)
        {
            var at = Onset + TimeSpan.FromMinutes(minute);
            timeline.Add(at, minute >= 0 ? new SliCounts(980, 1_000) : new SliCounts(1_000, 1_000));
            evaluations[minute] = AlertPolicy.Workbook.Evaluate(w => timeline.Over(w.Duration, at), 0.999);
        }

        // 20 minutes in: 2% is 20 times the 0.1% allowed, diluted by the good minutes in longer windows.
        var early = evaluations[19];
        Assert.Equal(20.0, early.BurnRates["5m"], precision: 9);
        Assert.Equal(20.0 * 20 / 30, early.BurnRates["30m"], precision: 9);
        Assert.Equal(20.0 * 20 / 60, early.BurnRates["1h"], precision: 9);
        Assert.Equal(20.0 * 20 / 360, early.BurnRates["6h"], precision: 9);
        Assert.Equal(20.0 * 20 / 1_440, early.BurnRates["1d"], precision: 9);
        Assert.Equal(20.0 * 20 / 4_320, early.BurnRates["3d"], precision: 9);
        // 1h at 6.67x is under 14.4 and 6h at 1.11x under 6: nothing trips yet.
        Assert.Null(early.Severity);

        // An hour in: 1h and 5m both at 20x page; 6h at 3.33x does not.
        var paging = evaluations[59];
        Assert.Equal(AlertSeverity.Page, paging.Severity);
        Assert.Equal(20.0 * 60 / 360, paging.BurnRates["6h"], precision: 9);
        Assert.Equal(["5m", "1h"], paging.TrippedWindows(AlertSeverity.Page).ToArray());
    }
}
