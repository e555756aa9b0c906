using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using KpiStream.Core.Kpis;

namespace KpiStream.UnitTests.Core.Composites;

public class MinuteHistoryProperties
{
    private static readonly DateTimeOffset Origin = DateTimeOffset.Parse("2026-11-23T00:00:00Z");

    /// <summary>Whatever order minutes arrive in, and however often, a span sums each minute in it once.</summary>
    [Property]
    public Property A_span_sums_each_held_minute_in_it_exactly_once()
    {
        var minutes = Gen.Choose(0, 120).SelectMany(minute => Gen.Choose(0, 1000).Select(attempts => (minute, attempts))).ArrayOf();
        return Prop.ForAll(
            minutes.ToArbitrary(),
            Gen.Choose(0, 130).SelectMany(from => Gen.Choose(0, 130).Select(length => (from, length))).ToArbitrary(),
            (input, span) =>
            {
                var history = new MinuteHistory();
                foreach (var (minute, attempts) in input)
                {
                    history.Add(Origin.AddMinutes(minute), KpiCounters.Zero with { Attempts = attempts });
                }

                var firstWins = input.GroupBy(m => m.minute).ToDictionary(g => g.Key, g => (long)g.First().attempts);
                var expected = firstWins.Where(kv => kv.Key >= span.from && kv.Key < span.from + span.length).Sum(kv => kv.Value);
                return history.Sum(Origin.AddMinutes(span.from), Origin.AddMinutes(span.from + span.length)).Attempts == expected
                    && history.Count == firstWins.Count;
            });
    }
}
