using KpiStream.Core.Slos;

namespace KpiStream.UnitTests.Core.Slos;

public class ImpactAndSilenceTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-11-23T12:00:00Z");

    [Fact]
    public void Revenue_at_risk_is_conversions_lost_against_the_baseline_times_the_average_order()
    {
        // 999 sessions at a 60% baseline would convert 599.4; 400 did: 199.4 lost x 45.00 = 8,973.00.
        var impact = CustomerImpact.Estimate(999, 400, 0.6, 4_500, criticality: 3, stage: 1, TimeSpan.FromHours(2), ImpactWeights.Default);

        Assert.Equal(999, impact.AffectedSessions);
        Assert.Equal(897_300, impact.RevenueAtRiskMinor);
        // 3 x (1 + log10(1000)) x (1 + 1) x (1 + 0.5 x 2) = 3 x 4 x 2 x 2.
        Assert.Equal(48.0, impact.Score, precision: 9);
    }

    [Fact]
    public void Converting_above_the_baseline_puts_no_revenue_at_risk()
    {
        var impact = CustomerImpact.Estimate(9, 9, 0.5, 1_000, criticality: 1, stage: 0, TimeSpan.Zero, ImpactWeights.Default);

        Assert.Equal(0, impact.RevenueAtRiskMinor);
        Assert.Equal(2.0, impact.Score, precision: 9); // 1 x (1 + log10(10)) x 1 x 1
    }

    [Theory]
    // Baseline: 120 events in the hour before the quiet span, 2 a minute, so 20 expected in 10 minutes.
    [InlineData(120, 2, true)]    // 10% of expected: silent
    [InlineData(120, 3, false)]   // 15%: just slow
    [InlineData(59, 0, false)]    // under one a minute normally: silence is normal
    [InlineData(60, 0, true)]
    public void Silence_is_judged_against_the_journeys_own_baseline(long baselineEvents, long quietEvents, bool silent)
    {
        long CountBetween(DateTimeOffset from, DateTimeOffset to) =>
            (from, to) == (Now.AddMinutes(-70), Now.AddMinutes(-10)) ? baselineEvents
            : (from, to) == (Now.AddMinutes(-10), Now) ? quietEvents
            : throw new ArgumentException($"unexpected span {from}..{to}");

        Assert.Equal(silent, SilenceRule.Default.IsSilent(CountBetween, Now));
    }
}
