using System.Collections.Immutable;
using KpiStream.Core.Kpis;
using KpiStream.Core.Windows;
using KpiStream.Processor.Kpis.Partials;

namespace KpiStream.Processor.Kpis.Windows;

/// <summary>Stage 2's view of one journey, segment and minute: the latest snapshot from each input partition.</summary>
public sealed record MinuteBucket(string Journey, Segment Segment, TumblingWindow Window, ImmutableSortedDictionary<int, PartialSnapshot> Sources)
{
    /// <summary>Applies a snapshot unless an equal or later one from the same partition is already here; null when nothing changed.</summary>
    public MinuteBucket? With(PartialSnapshot snapshot) =>
        Sources.TryGetValue(snapshot.SourcePartition, out var current) && current.AsOfOffset >= snapshot.AsOfOffset
            ? null
            : this with { Sources = Sources.SetItem(snapshot.SourcePartition, snapshot) };

    public KpiWindow Merged() =>
        new(Journey, Segment, Window, KpiCounters.Sum(Sources.Values.Select(s => s.Counters)));
}
