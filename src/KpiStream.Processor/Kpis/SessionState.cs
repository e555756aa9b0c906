using KpiStream.Core.Kpis;
using KpiStream.Core.Privacy;

namespace KpiStream.Processor.Kpis;

/// <summary>
/// Stage 1's memory of one session of one journey: where it started, and which event ids it has
/// counted (its deduplication record), with the highest input offset that changed it. Keeping the
/// ids with the session, instead of one entry per id, makes deduplication free for the events of
/// a session that is read anyway, and costs one changelog record per session and commit instead of
/// one per event. A duplicate carries its original's key (the session), so it always meets it here.
/// </summary>
/// <remarks>
/// Unlike the rest of the model, an entry is updated in place (<see cref="Count"/>) by the one
/// processor that owns its store, which then puts it back so the store logs the change. Every
/// open session stays in memory until its horizon: a new entry per event made the GC copy each
/// session's state through the generations once per event, and that was most of its pause time.
/// </remarks>
public sealed class SessionState
{
    private SeenEvent[] _events;
    private int _eventCount;

    /// <param name="start">Null while only outcomes were seen (no start event yet).</param>
    /// <param name="userPseudonym">Keyed hash of the user who started it; raw user ids never reach state.</param>
    /// <param name="lastEventAt">Latest event time of its counted events: the deduplication horizon runs from here.</param>
    /// <param name="events">Counted event ids (digests) with the input offset of their first occurrence.</param>
    public SessionState(SessionStart? start, UserPseudonym? userPseudonym, long appliedOffset, DateTimeOffset lastEventAt, ReadOnlySpan<SeenEvent> events)
    {
        Start = start;
        UserPseudonym = userPseudonym;
        AppliedOffset = appliedOffset;
        LastEventAt = lastEventAt;
        // Room for a second event: most sessions are a start and one outcome.
        _events = new SeenEvent[Math.Max(2, events.Length)];
        events.CopyTo(_events);
        _eventCount = events.Length;
    }

    public SessionStart? Start { get; private set; }

    public UserPseudonym? UserPseudonym { get; private set; }

    public long AppliedOffset { get; private set; }

    public DateTimeOffset LastEventAt { get; private set; }

    public ReadOnlySpan<SeenEvent> Events => _events.AsSpan(0, _eventCount);

    /// <summary>
    /// Records a newly counted event, at an input offset above <see cref="AppliedOffset"/>, with the
    /// start it left the session with and its user's pseudonym, kept if the session had none yet.
    /// </summary>
    public void Count(SeenEvent seen, DateTimeOffset occurredAt, SessionStart? start, UserPseudonym? userPseudonym)
    {
        if (seen.FirstOffset <= AppliedOffset)
        {
            throw new InvalidOperationException($"Offset {seen.FirstOffset} is not above the session's applied offset {AppliedOffset}.");
        }

        if (_eventCount == _events.Length)
        {
            Array.Resize(ref _events, _events.Length * 2);
        }

        _events[_eventCount++] = seen;
        AppliedOffset = seen.FirstOffset;
        LastEventAt = occurredAt > LastEventAt ? occurredAt : LastEventAt;
        Start = start;
        UserPseudonym ??= userPseudonym;
    }

    /// <summary>Input offset of the first occurrence of the event id with digest <paramref name="idDigest"/> (<see cref="SeenEvent.DigestOf"/>), or null when this session never counted it.</summary>
    public long? FirstOffsetOf(UInt128 idDigest)
    {
        foreach (var seen in Events)
        {
            if (seen.IdDigest == idDigest)
            {
                return seen.FirstOffset;
            }
        }

        return null;
    }

    /// <summary>When the entry may go: its start's window is final and every id is past the deduplication horizon.</summary>
    public DateTimeOffset ExpiresAt(DateTimeOffset startFinalAt, TimeSpan deduplicationHorizon)
    {
        var idsExpire = LastEventAt + deduplicationHorizon;
        return Start is null || idsExpire > startFinalAt ? idsExpire : startFinalAt;
    }
}
