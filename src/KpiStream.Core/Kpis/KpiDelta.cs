using KpiStream.Core.Windows;

namespace KpiStream.Core.Kpis;

/// <summary>A change to add to the counters of one KPI window.</summary>
public readonly record struct KpiDelta(KpiWindowKey Key, Segment Segment, KpiCounters Counters)
{
    /// <summary>
    /// What a record that would have made this change adds when it arrives after its window
    /// closed: nothing counted, one late record reported in the window current at its arrival
    /// (still open, so a closed window is never reopened).
    /// </summary>
    public KpiDelta ReportedLateAt(DateTimeOffset arrivedAt, TimeSpan windowSize) =>
        new(Key with { Window = TumblingWindow.Containing(arrivedAt, windowSize) }, Segment, KpiCounters.Zero with { LateRecords = 1 });
}
