using KpiStream.Core.Kpis;

namespace KpiStream.Processor.Kpis;

/// <summary>A KPI window in the store: its current values, whether they changed since last emitted, and when it may be forgotten.</summary>
public sealed record WindowState(KpiWindow Window, bool Dirty, DateTimeOffset RetainUntil);
