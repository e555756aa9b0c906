using KpiStream.Core.Events;
using KpiStream.Core.Journeys;
using KpiStream.Core.Kpis;
using KpiStream.Core.Privacy;
using KpiStream.Core.Validation;
using KpiStream.Processor.Observability;
using KpiStream.Serialization.Avro;
using KpiStream.Streaming.Processors;
using KpiStream.Streaming.Records;
using KpiStream.Streaming.Stores;

namespace KpiStream.Processor.Kpis;

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
    KpiStreamMetrics metrics) : IProcessor<byte[]?, byte[]?>, ICommitListener
{
    public const string PartialsStore = "funnel-partials";
    public const string SessionsStore = "funnel-sessions";
    public const string SeenEventsStore = "funnel-seen-events";
    public const string ClockStore = "funnel-clock";
    public const string SnapshotChild = "partial-snapshots-sink";
    public const string TickChild = "stream-time-ticks-sink";
    public const string DeadLetterChild = "funnel-dlq-sink";

    private readonly MinutePartials _partials = new(catalog, options, sourceIdBase: 0, advanceBeforeFirstInput: true);
    private readonly ExpiryIndex _sessionsExpiry = new();
    private readonly ExpiryIndex _seenExpiry = new();
    private IProcessorContext _context = null!;
    private IKeyValueStore<string, SessionState> _sessions = null!;
    private IKeyValueStore<string, SeenEvent> _seen = null!;

    public void Init(IProcessorContext context)
    {
        _context = context;
        _partials.Init(context, PartialsStore, ClockStore);
        _sessions = context.GetStateStore<IKeyValueStore<string, SessionState>>(SessionsStore);
        _seen = context.GetStateStore<IKeyValueStore<string, SeenEvent>>(SeenEventsStore);
        foreach (var (key, session) in _sessions.All())
        {
            _sessionsExpiry.Add(key, _partials.FinalAt(session.Start.Journey, session.Start.Window));
        }

        foreach (var (eventId, seen) in _seen.All())
        {
            _seenExpiry.Add(eventId, seen.OccurredAt + options.DeduplicationHorizon);
        }
    }

    public void Process(Record<byte[]?, byte[]?> record)
    {
        var offset = _context.RecordMetadata!.Offset;
        if (!_partials.TryAdmit(offset, out var clock))
        {
            return;
        }

        var decoded = codec.Decode(record.Value);
        var (valid, rejection) = decoded.Value is { } decodedEvent ? validator.Validate(decodedEvent, _context.WallClockTime) : (null, decoded.Rejection);
        if (rejection is not null)
        {
            DeadLetters.Send(_context, metrics, record, rejection, DeadLetterChild);
            _partials.Pass(clock, offset);
            return;
        }

        var journey = valid!.Journey;
        var domainEvent = valid.Event with { UserId = valid.Event.UserId is { } userId ? pseudonymizer.Pseudonymize(userId) : null };
        var streamTime = _partials.Advance(clock, offset, domainEvent.OccurredAt);
        if (_partials.IsLate(domainEvent.OccurredAt, streamTime))
        {
            // Late: not counted, but reported in the window that is current for this task.
            metrics.LateRecord(journey.Name);
            _partials.Apply(offset, [JourneyFunnel.Late(journey, domainEvent, streamTime, options.WindowSize)]);
            return;
        }

        var seen = _seen.Get(domainEvent.EventId);
        if (seen is not null && seen.FirstOffset < offset)
        {
            metrics.DuplicateRecord(journey.Name);
            _partials.Apply(offset, [JourneyFunnel.Duplicate(journey, domainEvent, options.WindowSize)]);
            return;
        }

        var sessionKey = $"{journey.Name}|{domainEvent.SessionId}";
        var session = _sessions.Get(sessionKey);
        var step = JourneyFunnel.Apply(journey, valid.Role, domainEvent, session?.Start, options.WindowSize);
        _partials.Apply(offset, step.Deltas);
        if (step.Session is not null && (session is null || session.AppliedOffset < offset))
        {
            _sessions.Put(sessionKey, new SessionState(step.Session, session?.UserPseudonym ?? domainEvent.UserId, offset));
            if (session is null)
            {
                _sessionsExpiry.Add(sessionKey, _partials.FinalAt(journey.Name, step.Session.Window));
            }
        }

        if (seen is null)
        {
            _seen.Put(domainEvent.EventId, new SeenEvent(domainEvent.OccurredAt, offset));
            _seenExpiry.Add(domainEvent.EventId, domainEvent.OccurredAt + options.DeduplicationHorizon);
        }
    }

    public void BeforeCommit()
    {
        if (_partials.BeforeCommit(SnapshotChild, TickChild) is not { } streamTime)
        {
            return;
        }

        foreach (var key in _sessionsExpiry.TakeDue(streamTime))
        {
            _sessions.Delete(key);
        }

        foreach (var eventId in _seenExpiry.TakeDue(streamTime))
        {
            _seen.Delete(eventId);
        }
    }

    public void Close()
    {
    }
}
