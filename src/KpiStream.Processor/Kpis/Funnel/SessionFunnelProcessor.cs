using KpiStream.Core.Events;
using KpiStream.Core.Journeys;
using KpiStream.Core.Kpis;
using KpiStream.Core.Privacy;
using KpiStream.Core.Validation;
using KpiStream.Processor.Kpis;
using KpiStream.Processor.Kpis.Partials;
using KpiStream.Processor.Kpis.State;
using KpiStream.Serialization.Avro;
using KpiStream.Streaming.Processors;
using KpiStream.Streaming.Records;
using KpiStream.Streaming.Stores;

namespace KpiStream.Processor.Kpis.Funnel;

/// <summary>
/// Stage 1, one task per domain-events partition (keyed by session): decodes and validates,
/// dead-letters what it cannot use, drops duplicate event ids, follows each session through its
/// journey's funnel and folds the results into cumulative counters per journey, segment and
/// minute (<see cref="MinutePartials"/>), which it sends to stage 2 at each commit.
/// </summary>
/// <remarks>
/// Replay safety: every entry remembers the highest input offset applied to it and ignores
/// records at or below it, and a record at or below the task clock's offset is skipped whole.
/// Stores are declared, and so flushed, partials first and clock last, so a visible clock implies
/// that every entry it covers is visible too.
/// </remarks>
public sealed class SessionFunnelProcessor(
    AvroCodec<DomainEvent> codec,
    JourneyCatalog catalog,
    DomainEventValidator validator,
    Pseudonymizer pseudonymizer,
    KpiOptions options,
    IKpiMetrics metrics) : IProcessor<byte[]?, byte[]?>, ICommitListener
{
    private readonly PersonalFieldsRedactor _redactor = new(codec, catalog.PersonalFields, pseudonymizer);
    private readonly MinutePartials _partials = new(catalog, options, sourceIdBase: 0, advanceBeforeFirstInput: true);
    private readonly ExpiryIndex<UInt128> _sessionsExpiry = new();
    private IProcessorContext _context = null!;
    private IKeyValueStore<UInt128, SessionState> _sessions = null!;

    public void Init(IProcessorContext context)
    {
        _context = context;
        _partials.Init(context, KpiTopology.FunnelPartialsStore, KpiTopology.FunnelClockStore);
        _sessions = context.GetStateStore<IKeyValueStore<UInt128, SessionState>>(KpiTopology.FunnelSessionsStore);
        foreach (var (key, session) in _sessions.All())
        {
            _sessionsExpiry.Add(key, ExpiresAt(session));
        }
    }

    public void Process(Record<byte[]?, byte[]?> record)
    {
        var offset = _context.RecordMetadata!.Value.Offset;
        if (!_partials.TryAdmit(offset))
        {
            return;
        }

        var decoded = codec.Decode(record.Value).OrWait();
        var (valid, rejection) = decoded.Value is { } decodedEvent ? validator.Validate(decodedEvent, _context.WallClockTime) : (null, decoded.Rejection);
        if (rejection is not null)
        {
            DeadLetter(decoded.Value is null ? DeadLetters.Undecodable(record, options.UndecodablePayloads) : Redacted(record), rejection);
            _partials.Pass(offset);
            return;
        }

        var journey = valid!.Journey;
        // The raw user id goes no further than this method: only its pseudonym is kept, computed once per session.
        var domainEvent = valid.Event;
        var streamTime = _partials.Advance(offset, domainEvent.OccurredAt);
        if (_partials.IsLate(domainEvent.OccurredAt, streamTime))
        {
            // Late: not counted, but reported in the window that is current for this task.
            metrics.LateRecord(journey.Name);
            _partials.Apply(offset, [JourneyFunnel.Late(journey, domainEvent, streamTime, options.WindowSize)]);
            return;
        }

        var sessionKey = SessionKey.Of(journey.Name, domainEvent.SessionId);
        SessionState? session = _sessions.TryGet(sessionKey, out var stored) ? stored : null;
        var idDigest = SeenEvent.DigestOf(domainEvent.EventId);
        var firstOffset = session?.FirstOffsetOf(idDigest);
        if (firstOffset < offset)
        {
            metrics.DuplicateRecord(journey.Name);
            _partials.Apply(offset, [JourneyFunnel.Duplicate(journey, domainEvent, options.WindowSize)]);
            return;
        }

        if (session is { Events.Count: var counted } && counted >= options.MaxEventsPerSession)
        {
            // Its entry holds every id it counted: unbounded, one session's entry would outgrow any changelog record.
            DeadLetter(Redacted(record), new Rejection(DeadLetterReason.InvalidValue, $"session already counted {counted} events of journey '{journey.Name}', the most one session is followed for"));
            return;
        }

        var step = JourneyFunnel.Apply(journey, valid.Role, domainEvent, session?.Start, session?.Successes ?? SuccessTimes.None, options.WindowSize);
        _partials.Apply(offset, step.Deltas);
        // The id is new here: had this session counted it at this offset or later, its applied offset would not be below this one.
        var seen = new SeenEvent(idDigest, offset);
        if (session is not { } existing)
        {
            var created = new SessionState(step.Session, PseudonymOf(domainEvent), offset, domainEvent.OccurredAt, [seen], step.Successes);
            _sessions.Put(sessionKey, created);
            _sessionsExpiry.Add(sessionKey, ExpiresAt(created));
        }
        else if (existing.AppliedOffset < offset)
        {
            _sessions.Put(sessionKey, new SessionState(
                step.Session,
                existing.UserPseudonym ?? PseudonymOf(domainEvent),
                offset,
                domainEvent.OccurredAt > existing.LastEventAt ? domainEvent.OccurredAt : existing.LastEventAt,
                existing.Events.Add(seen),
                step.Successes));
        }
    }

    private void DeadLetter(Record<byte[]?, byte[]?> letter, Rejection rejection) =>
        DeadLetters.Send(_context, metrics, letter, rejection, options.MaxDeadLetterBytes, KpiTopology.FunnelDeadLetterSink);

    /// <summary>A record that decoded, with its personal fields pseudonymized; without its value in the unlikely case it does not re-encode.</summary>
    private Record<byte[]?, byte[]?> Redacted(Record<byte[]?, byte[]?> record) =>
        _redactor.Redact(record.Value!) switch
        {
            { Replaced.Count: 0 } => record,
            { } redacted => DeadLetters.Pseudonymized(record, redacted.Value, redacted.Replaced),
            null => DeadLetters.Undecodable(record, DeadLetterPayloads.Drop),
        };

    public void BeforeCommit()
    {
        if (_partials.BeforeCommit(KpiTopology.FunnelSnapshotsSink, KpiTopology.FunnelTicksSink) is not { } streamTime)
        {
            return;
        }

        foreach (var key in _sessionsExpiry.TakeDue(streamTime).ToList())
        {
            // Later events of the session moved its expiry on: look again then.
            if (_sessions.TryGet(key, out var session) && ExpiresAt(session) is var expiresAt && expiresAt > streamTime)
            {
                _sessionsExpiry.Add(key, expiresAt);
            }
            else
            {
                _sessions.Delete(key);
            }
        }
    }

    private UserPseudonym? PseudonymOf(DomainEvent domainEvent) =>
        domainEvent.UserId is { } userId ? pseudonymizer.Pseudonymize(userId) : null;

    private DateTimeOffset ExpiresAt(SessionState session) =>
        session.ExpiresAt(session.Start is { } start ? _partials.FinalAt(start.Journey, start.Window) : DateTimeOffset.MinValue, options.DeduplicationHorizon);

    public void Close()
    {
    }
}
