using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using KpiStream.Core.Slos;

namespace KpiStream.UnitTests.Core.Slos;

public class SliTimelineProperties
{
    private static readonly DateTimeOffset Origin = DateTimeOffset.Parse("2026-11-23T00:00:00Z");
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    /// <summary>The sum over any trailing window equals a plain sum over the raw per-minute input, whatever the order and gaps.</summary>
    [Property]
    public Property A_window_sums_exactly_the_minutes_it_covers_within_capacity()
    {
        var samples = Gen.Choose(0, 200).SelectMany(minute => Gen.Choose(0, 50).SelectMany(good => Gen.Choose(0, 10).Select(bad => (minute, good, bad)))).ArrayOf();
        return Prop.ForAll(
            samples.ToArbitrary(),
            Gen.Choose(1, 120).ToArbitrary(),
            Gen.Choose(1, 200).ToArbitrary(),
            (input, capacity, windowMinutes) =>
            {
                var timeline = SliTimeline.Empty(Minute, capacity);
                foreach (var (minute, good, bad) in input)
                {
                    timeline = timeline.Add(Origin + minute * Minute + TimeSpan.FromSeconds(30), new SliCounts(good, good + bad));
                }

                if (input.Length == 0)
                {
                    return timeline.Over(windowMinutes * Minute, Origin) == SliCounts.None;
                }

                // Minutes older than capacity behind the newest are forgotten, so the oracle keeps only what the timeline keeps.
                var newest = input.Max(s => s.minute);
                var kept = input.Where(s => s.minute > newest - capacity && KeptWhenAdded(input, s, capacity));
                var expected = kept.Where(s => s.minute > newest - windowMinutes)
                    .Aggregate(SliCounts.None, (sum, s) => sum.Plus(new SliCounts(s.good, s.good + s.bad)));
                return timeline.Over(windowMinutes * Minute, Origin + newest * Minute) == expected;
            });
    }

    /// <summary>A sample arriving later than the capacity behind the newest minute seen before it is dropped on arrival.</summary>
    private static bool KeptWhenAdded((int minute, int good, int bad)[] input, (int minute, int good, int bad) sample, int capacity)
    {
        var index = Array.IndexOf(input, sample);
        var newestBefore = input.Take(index).Select(s => s.minute).DefaultIfEmpty(int.MinValue).Max();
        return newestBefore == int.MinValue || sample.minute > newestBefore - capacity;
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
                var timeline = SliTimeline.Empty(Minute, rule.LongWindow.Minutes);
                for (var minute = 1 - rule.LongWindow.Minutes; minute <= rule.LongWindow.Minutes; minute++)
                {
                    // A clean history before the onset; evaluated at the end of each minute, once it is complete.
                    var minuteStart = Origin + (minute - 1) * Minute;
                    timeline = timeline.Add(minuteStart, new SliCounts(minute > 0 ? perMinute - bad : perMinute, perMinute));
                    if (rule.Trips(w => timeline.Over(w.Duration, minuteStart), objective))
                    {
                        return minute == (int)Math.Ceiling(expected / Minute - 1e-9);
                    }
                }

                return false;
            });
    }
}
