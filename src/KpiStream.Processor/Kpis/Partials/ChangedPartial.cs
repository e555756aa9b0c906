using KpiStream.Core.Kpis;

namespace KpiStream.Processor.Kpis.Partials;

/// <summary>
/// A partial folded into since its task last committed: the state its store holds and a running
/// sum on top, written back as one new state at the commit instead of one per event.
/// </summary>
internal sealed class ChangedPartial(PartialState stored)
{
    private readonly KpiCountersSum _sum = new(stored.Counters);
    private long _appliedOffset = stored.AppliedOffset;

    /// <summary>Adds one record's change; the caller has checked that the stored state does not hold that record yet.</summary>
    public void Add(long offset, KpiCounters counters)
    {
        _sum.Add(counters);
        _appliedOffset = offset;
    }

    /// <summary>The state to store once it has been sent downstream.</summary>
    public PartialState ToSentState() => stored with { Counters = _sum.ToCounters(), AppliedOffset = _appliedOffset };
}
