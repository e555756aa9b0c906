using KpiStream.Core.Events;
using KpiStream.Core.Journeys;
using KpiStream.Core.Kpis;
using KpiStream.Core.Privacy;
using KpiStream.Core.Validation;
using KpiStream.Core.Windows;
using KpiStream.Processor.Conventions;
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
/// minute. At each commit it sends the counters that changed, then its stream time, to stage 2.
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

    private const string ClockKey = "clock";

    private IProcessorContext _context = null!;
    private IKeyValueStore<string, PartialState> _partials = null!;
    private IKeyValueStore<string, SessionState> _sessions = null!;
    private IKeyValueStore<string, SeenEvent> _seen = null!;
    private IKeyValueStore<string, TaskClock> _clock = null!;
    private readonly HashSet<string> _dirty = new(StringComparer.Ordinal);
    private readonly ExpiryIndex _partialsExpiry = new();
    private readonly ExpiryIndex _sessionsExpiry = new();
    private readonly ExpiryIndex _seenExpiry = new();
    private DateTimeOffset _lastInputWallClock;
    private DateTimeOffset _lastExpiry = DateTimeOffset.MinValue;

    public void Init(IProcessorContext context)
    {
        _context = context;
        _partials = context.GetStateStore<IKeyValueStore<string, PartialState>>(PartialsStore);
        _sessions = context.GetStateStore<IKeyValueStore<string, SessionState>>(SessionsStore);
        _seen = context.GetStateStore<IKeyValueStore<string, SeenEvent>>(SeenEventsStore);
        _clock = context.GetStateStore<IKeyValueStore<string, TaskClock>>(ClockStore);
        _lastInputWallClock = context.WallClockTime;
        foreach (var (key, partial) in _partials.All())
        {
            _partialsExpiry.Add(key, FinalAt(partial.Journey, partial.Window));
            if (partial.Dirty)
            {
                // Changed but not yet sent when the task last committed.
                _dirty.Add(key);
            }
        }

        foreach (var (key, session) in _sessions.All())
        {
            _sessionsExpiry.Add(key, FinalAt(session.Start.Journey, session.Start.Window));
        }

        foreach (var (eventId, seen) in _seen.All())
        {
            _seenExpiry.Add(eventId, seen.OccurredAt + options.DeduplicationHorizon);
        }
        context.Schedule(options.TickInterval, PunctuationType.WallClockTime, AdvanceWhenIdle);
    }

    public void Process(Record<byte[]?, byte[]?> record)
    {
        _lastInputWallClock = _context.WallClockTime;
        var offset = _context.RecordMetadata!.Offset;
        var clock = _clock.Get(ClockKey) ?? TaskClock.Start;
        if (offset <= clock.AppliedOffset)
        {
            return;
        }

        var decoded = codec.Decode(record.Value);
        var (valid, rejection) = decoded.Value is { } decodedEvent ? validator.Validate(decodedEvent, _context.WallClockTime) : (null, decoded.Rejection);
        if (rejection is not null)
        {
            DeadLetters.Send(_context, metrics, record, rejection, DeadLetterChild);
            _clock.Put(ClockKey, clock with { AppliedOffset = offset });
            return;
        }

        var journey = valid!.Journey;
        var domainEvent = valid.Event with { UserId = valid.Event.UserId is { } userId ? pseudonymizer.Pseudonymize(userId) : null };
        var advanced = domainEvent.OccurredAt > clock.StreamTime;
        var streamTime = advanced ? domainEvent.OccurredAt : clock.StreamTime;
        _clock.Put(ClockKey, clock with { StreamTime = streamTime, AppliedOffset = offset, AdvancedAt = advanced ? _context.WallClockTime : clock.AdvancedAt });

        if (TumblingWindow.Containing(domainEvent.OccurredAt, options.WindowSize).IsClosedAt(streamTime, options.Grace))
        {
            // Late: not counted, but reported in the window that is current for this task.
            metrics.LateRecord(journey.Name);
            Apply(offset, [JourneyFunnel.Late(journey, domainEvent, streamTime, options.WindowSize)]);
            return;
        }

        var seen = _seen.Get(domainEvent.EventId);
        if (seen is not null && seen.FirstOffset < offset)
        {
            metrics.DuplicateRecord(journey.Name);
            Apply(offset, [JourneyFunnel.Duplicate(journey, domainEvent, options.WindowSize)]);
            return;
        }

        var sessionKey = $"{journey.Name}|{domainEvent.SessionId}";
        var session = _sessions.Get(sessionKey);
        var step = JourneyFunnel.Apply(journey, valid.Role, domainEvent, session?.Start, options.WindowSize);
        Apply(offset, step.Deltas);
        if (step.Session is not null && (session is null || session.AppliedOffset < offset))
        {
            _sessions.Put(sessionKey, new SessionState(step.Session, session?.UserPseudonym ?? domainEvent.UserId, offset));
            if (session is null)
            {
                _sessionsExpiry.Add(sessionKey, FinalAt(journey.Name, step.Session.Window));
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
        var partition = _context.TaskId.Partition;
        foreach (var key in _dirty.Order(StringComparer.Ordinal))
        {
            var partial = _partials.Get(key)!;
            var snapshot = PartialSnapshot.Of(partition, partial);
            _context.Forward(new Record<string, PartialSnapshot>($"{partial.Journey}|{partial.Segment.Key}", snapshot, partial.Window.Start, []), SnapshotChild);
            _partials.Put(key, partial with { Dirty = false });
        }

        _dirty.Clear();

        var clock = _clock.Get(ClockKey) ?? TaskClock.Start;
        if (clock.StreamTime > clock.Announced)
        {
            var tick = new StreamTimeTick(partition, clock.StreamTime.ToUnixTimeMilliseconds(), clock.AdvancedAt.ToUnixTimeMilliseconds());
            _context.Forward(new Record<string?, StreamTimeTick>(null, tick, clock.StreamTime, []).WithHeader(HeaderNames.StreamTimeTick, "1"), TickChild);
            _clock.Put(ClockKey, clock with { Announced = clock.StreamTime });
        }

        // Expiry scans the stores, so once per minute of stream time is enough.
        if (clock.StreamTime >= _lastExpiry + options.WindowSize)
        {
            Expire(clock.StreamTime);
            _lastExpiry = clock.StreamTime;
        }
    }

    public void Close()
    {
    }

    /// <summary>Adds deltas to their partials, at most once per input offset; one event's deltas to the same partial are added together.</summary>
    private void Apply(long offset, IReadOnlyList<KpiDelta> deltas)
    {
        foreach (var group in deltas.GroupBy(d => d.Key))
        {
            var key = group.Key.ToString();
            var partial = _partials.Get(key);
            if (partial is not null && partial.AppliedOffset >= offset)
            {
                continue;
            }

            var first = group.First();
            var counters = group.Aggregate(partial?.Counters ?? KpiCounters.Zero, (sum, d) => sum.Merge(d.Counters));
            if (partial is null)
            {
                _partialsExpiry.Add(key, FinalAt(first.Key.Journey, first.Key.Window));
            }

            _partials.Put(key, new PartialState(first.Key.Journey, first.Segment, first.Key.Window, counters, offset, Dirty: true));
            _dirty.Add(key);
        }
    }

    private void Expire(DateTimeOffset streamTime)
    {
        foreach (var key in _partialsExpiry.TakeDue(streamTime))
        {
            if (_dirty.Contains(key))
            {
                _partialsExpiry.Add(key, streamTime + options.WindowSize);
            }
            else
            {
                _partials.Delete(key);
            }
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

    private DateTimeOffset FinalAt(string journey, TumblingWindow window) =>
        ConversionHorizon.FinalAt(window, TimeoutOf(journey), options.Grace);

    private TimeSpan TimeoutOf(string journey) => catalog.Find(journey)?.ConversionTimeout ?? TimeSpan.Zero;

    /// <summary>When input stops, stream time follows the wall clock (lagging by the idle threshold) so the last windows close.</summary>
    private void AdvanceWhenIdle(DateTimeOffset wallClock)
    {
        var clock = _clock.Get(ClockKey) ?? TaskClock.Start;
        var following = wallClock - options.IdleAdvanceAfter;
        if (wallClock - _lastInputWallClock > options.IdleAdvanceAfter && following > clock.StreamTime)
        {
            _clock.Put(ClockKey, clock with { StreamTime = following, AdvancedAt = wallClock });
        }
    }
}
