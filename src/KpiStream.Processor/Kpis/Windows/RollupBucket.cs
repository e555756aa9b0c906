using System.Collections.Immutable;
using KpiStream.Core.Kpis;
using KpiStream.Core.Windows;

namespace KpiStream.Processor.Kpis.Windows;

/// <summary>
/// Stage 2's sum of the final minute windows of one journey and segment inside a longer window.
/// It remembers which minutes it holds, so folding a minute again (a replay) changes nothing.
/// </summary>
public sealed record RollupBucket(string Journey, Segment Segment, TumblingWindow Window, KpiCounters Counters, ImmutableSortedSet<long> Minutes)
{
    public static RollupBucket Empty(string journey, Segment segment, TumblingWindow window) =>
        new(journey, segment, window, KpiCounters.Zero, []);

    /// <summary>Adds a final minute window unless it is already in; null when nothing changed.</summary>
    public RollupBucket? With(KpiWindow minute)
    {
        var start = minute.Window.Start.ToUnixTimeMilliseconds();
        return Minutes.Contains(start)
            ? null
            : this with { Counters = Counters.Merge(minute.Counters), Minutes = Minutes.Add(start) };
    }

    public KpiWindow Merged() => new(Journey, Segment, Window, Counters);
}
