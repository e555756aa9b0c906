using KpiStream.Core.Kpis;

namespace KpiStream.Processor.Kpis;

/// <summary>
/// What the window stage tells the SLO evaluator when its watermark moves: the minutes whose SLIs
/// became final (end + grace passed; conversions may still grow, SLIs do not), and the end of the
/// last minute now closed for every journey and segment, with or without traffic.
/// </summary>
public sealed record ClosedMinutes(IReadOnlyList<KpiWindow> Minutes, DateTimeOffset ClosedThrough);
