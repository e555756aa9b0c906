using KpiStream.Core.Windows;

namespace KpiStream.Core.Kpis;

/// <summary>The identity of a KPI window record: downstream consumers upsert on it.</summary>
public readonly record struct KpiWindowKey(string Journey, string SegmentKey, TumblingWindow Window)
{
    /// <summary>The Kafka record key: journey|segment|start-ms|size-ms.</summary>
    public override string ToString() =>
        $"{Journey}|{SegmentKey}|{Window.Start.ToUnixTimeMilliseconds()}|{(long)Window.Size.TotalMilliseconds}";
}
