using KpiStream.Core.Kpis;
using KpiStream.Core.Privacy;

namespace KpiStream.Processor.Kpis.Funnel;

/// <summary>
/// Stage 1's memory of one session of one journey: where it started, and which event ids it has
/// counted (its deduplication record), with the highest input offset that changed it. Keeping the
/// ids with the session, instead of one entry per id, makes deduplication free for the events of
/// a session that is read anyway, and costs one changelog record per session and commit instead of
/// one per event. A duplicate carries its original's key (the session), so it always meets it here.
/// </summary>
/// <remarks>
/// A value held inline in the store's cache, with its start inline too: every open session stays
/// in memory until its horizon, so the GC should not have to trace it. Only a session of more than
/// two ids has an array (<see cref="SeenEvents"/>).
/// </remarks>
/// <param name="Start">Null while only outcomes were seen (no start event yet).</param>
/// <param name="UserPseudonym">Keyed hash of the user who started it; raw user ids never reach state.</param>
/// <param name="LastEventAt">Latest event time of its counted events: the deduplication horizon runs from here.</param>
/// <param name="Events">Counted event ids (digests) with the input offset of their first occurrence.</param>
/// <param name="Successes">Event times of its successes, against which an earlier start that arrives later is judged.</param>
public readonly record struct SessionState(SessionStart? Start, UserPseudonym? UserPseudonym, long AppliedOffset, DateTimeOffset LastEventAt, SeenEvents Events, SuccessTimes Successes)
{
    /// <summary>Input offset of the first occurrence of the event id with digest <paramref name="idDigest"/> (<see cref="SeenEvent.DigestOf"/>), or null when this session never counted it.</summary>
    public long? FirstOffsetOf(UInt128 idDigest) => Events.FirstOffsetOf(idDigest);

    /// <summary>When the entry may go: its start's window is final and every id is past the deduplication horizon.</summary>
    public DateTimeOffset ExpiresAt(DateTimeOffset startFinalAt, TimeSpan deduplicationHorizon)
    {
        var idsExpire = LastEventAt + deduplicationHorizon;
        return Start is null || idsExpire > startFinalAt ? idsExpire : startFinalAt;
    }
}
