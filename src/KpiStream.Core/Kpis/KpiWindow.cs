using KpiStream.Core.Windows;

namespace KpiStream.Core.Kpis;

/// <summary>The KPIs of one journey and segment over one window, as written to kpi.windowed.</summary>
public sealed record KpiWindow(string Journey, Segment Segment, TumblingWindow Window, KpiCounters Counters)
{
    public KpiWindowKey Key => new(Journey, Segment.Key, Window);
}
