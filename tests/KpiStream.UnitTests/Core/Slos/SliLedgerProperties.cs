using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using KpiStream.Core.Slos;

namespace KpiStream.UnitTests.Core.Slos;

public class SliLedgerProperties
{
    private static readonly DateTimeOffset Origin = DateTimeOffset.Parse("2026-11-23T00:00:00Z");
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    /// <summary>Any trailing window, as of any minute up to the newest, sums exactly the raw minutes it covers that the ledger still holds.</summary>
    [Property]
    public Property A_window_sums_exactly_the_minutes_it_covers_within_capacity()
    {
        var samples = Gen.Choose(0, 300).SelectMany(minute => Gen.Choose(0, 50).SelectMany(good => Gen.Choose(0, 10).Select(bad => (minute, good, bad)))).ArrayOf();
        return Prop.ForAll(
            samples.ToArbitrary(),
            Gen.Choose(1, 120).SelectMany(capacity => Gen.Choose(1, 200).SelectMany(window => Gen.Choose(0, 300).Select(asOf => (capacity, window, asOf)))).ToArbitrary(),
            (input, shape) =>
            {
                var (capacity, windowMinutes, asOfMinute) = shape;
                var ordered = input.OrderBy(s => s.minute).ToArray();
                var ledger = new SliLedger(Minute, capacity);
                foreach (var (minute, good, bad) in ordered)
                {
                    ledger.Add(Origin + minute * Minute + TimeSpan.FromSeconds(30), new SliCounts(good, good + bad));
                }

                var asOf = ordered.Length == 0 ? asOfMinute : Math.Min(asOfMinute, ordered[^1].minute);
                // The ledger holds the capacity steps up to its newest; a longer window sees only those.
                var oldestHeld = ordered.Length == 0 ? 0 : ordered[^1].minute - capacity + 1;
                var expected = ordered
                    .Where(s => s.minute <= asOf && s.minute > asOf - windowMinutes && s.minute >= oldestHeld)
                    .Aggregate(SliCounts.None, (sum, s) => sum.Plus(new SliCounts(s.good, s.good + s.bad)));
                return ledger.Over(windowMinutes * Minute, Origin + asOf * Minute) == expected;
            });
    }

    [Fact]
    public void Steps_are_added_in_time_order()
    {
        var ledger = new SliLedger(Minute, 10);
        ledger.Add(Origin.AddMinutes(5), new SliCounts(1, 1));
        ledger.Add(Origin.AddMinutes(5), new SliCounts(0, 1));

        Assert.Equal(new SliCounts(1, 2), ledger.Over(Minute, Origin.AddMinutes(5)));
        Assert.Throws<ArgumentException>(() => ledger.Add(Origin.AddMinutes(4), new SliCounts(1, 1)));
    }

    /// <summary>
    /// Simulating a constant error rate minute by minute, each workbook rule first trips at its
    /// theoretical detection time rounded up to the next whole minute of evaluation.
    /// </summary>
    [Property(MaxTest = 40)]
    public Property Rules_trip_at_their_detection_time_rounded_up_to_an_evaluation()
    {
        return Prop.ForAll(
            Gen.Choose(0, 2).ToArbitrary(),
            Gen.Elements(0.02, 0.05, 0.1, 0.25, 0.5, 1.0).ToArbitrary(),
            (ruleIndex, errorRate) =>
            {
                const double objective = 0.999;
                const int perMinute = 10_000;
                var rule = AlertPolicy.Workbook.Rules[ruleIndex];
                var expected = rule.DetectionTime(objective, errorRate)!.Value;
                var bad = (long)Math.Round(perMinute * errorRate);
                var ledger = new SliLedger(Minute, rule.LongWindow.Minutes);
                for (var minute = 1 - rule.LongWindow.Minutes; minute <= rule.LongWindow.Minutes; minute++)
                {
                    // A clean history before the onset; evaluated at the end of each minute, once it is complete.
                    var minuteStart = Origin + (minute - 1) * Minute;
                    ledger.Add(minuteStart, new SliCounts(minute > 0 ? perMinute - bad : perMinute, perMinute));
                    if (rule.Trips(w => ledger.Over(w.Duration, minuteStart), objective))
                    {
                        return minute == (int)Math.Ceiling(expected / Minute - 1e-9);
                    }
                }

                return false;
            });
    }
}
