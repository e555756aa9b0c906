using KpiStream.Core.Kpis;
using KpiStream.Core.Windows;

namespace KpiStream.Processor.Kpis.Partials;

/// <summary>
/// Stage 1's cumulative counters for one journey, segment and minute, from one input partition.
/// <see cref="AppliedOffset"/> is the highest input offset folded in: a replayed record at or
/// below it is skipped, so replays never count twice.
/// </summary>
public sealed record PartialState(string Journey, Segment Segment, TumblingWindow Window, KpiCounters Counters, long AppliedOffset);
