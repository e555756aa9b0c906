using KpiStream.Core.Events;
using KpiStream.Core.Journeys;
using KpiStream.Core.Kpis;
using KpiStream.Core.Validation;
using KpiStream.Processor.Conventions;
using KpiStream.Processor.Observability;
using KpiStream.Serialization.Avro;
using KpiStream.Streaming.Processors;
using KpiStream.Streaming.Records;
using KpiStream.Streaming.Stores;

namespace KpiStream.Processor.Kpis;

/// <summary>
/// Stage 2, one task per repartition partition (journey|segment keys): drops duplicate event ids,
/// tracks sessions, adds each event's funnel deltas to its windows and emits every window that is
/// closed (stream time past end + grace) and changed. A window stays in the store for the journey's
/// conversion timeout after it closes, because conversions are credited to the start's window;
/// changes in that time are emitted again as upserts of the same identity.
/// </summary>
public sealed class KpiWindowProcessor(
    AvroCodec<DomainEvent> codec,
    JourneyCatalog catalog,
    KpiOptions options,
    KpiStreamMetrics metrics,
    LatestKpiBoard board) : IProcessor<byte[]?, byte[]?>
{
    public const string WindowsStore = "kpi-windows";
    public const string SessionsStore = "journey-sessions";
    public const string SeenEventsStore = "seen-event-ids";
    public const string KpiChild = "kpi-windowed-sink";
    public const string DeadLetterChild = "window-dlq-sink";

    private IProcessorContext _context = null!;
    private IKeyValueStore<KpiWindowKey, WindowState> _windows = null!;
    private IKeyValueStore<string, SessionStart> _sessions = null!;
    private IKeyValueStore<string, DateTimeOffset> _seen = null!;

    public void Init(IProcessorContext context)
    {
        _context = context;
        _windows = context.GetStateStore<IKeyValueStore<KpiWindowKey, WindowState>>(WindowsStore);
        _sessions = context.GetStateStore<IKeyValueStore<string, SessionStart>>(SessionsStore);
        _seen = context.GetStateStore<IKeyValueStore<string, DateTimeOffset>>(SeenEventsStore);
        context.Schedule(TimeSpan.FromSeconds(1), PunctuationType.StreamTime, EmitAndExpire);
        // Late records and duplicates change closed windows without moving stream time; emit those updates anyway.
        context.Schedule(TimeSpan.FromSeconds(1), PunctuationType.WallClockTime, _ => EmitAndExpire(context.StreamTime));
    }

    public void Process(Record<byte[]?, byte[]?> record)
    {
        if (record.Header(HeaderNames.StreamTimeTick) is not null)
        {
            return;
        }

        var decoded = codec.Decode(record.Value);
        var journey = decoded.Value?.Journey is { } name ? catalog.Find(name) : null;
        var role = journey?.RoleOf(decoded.Value!.EventType);
        if (decoded.Value is not { } domainEvent || journey is null || role is null)
        {
            // Only a configuration change between the stages can get here: stage 1 validated the event.
            var rejection = decoded.Rejection ?? new Rejection(DeadLetterReason.UnknownEventType, "journey or event type no longer configured");
            DeadLetters.Send(_context, metrics, record, rejection, DeadLetterChild);
            return;
        }

        var streamTime = _context.StreamTime;
        if (_seen.Get(domainEvent.EventId) != default)
        {
            metrics.DuplicateRecord(journey.Name);
            Add(journey, JourneyFunnel.Duplicate(journey, domainEvent, options.WindowSize), streamTime);
            return;
        }

        _seen.Put(domainEvent.EventId, domainEvent.OccurredAt);
        var late = JourneyFunnel.Late(journey, domainEvent, options.WindowSize);
        if (late.Key.Window.IsClosedAt(streamTime, options.Grace))
        {
            metrics.LateRecord(journey.Name);
            Add(journey, late, streamTime);
            return;
        }

        var sessionKey = $"{journey.Name}|{domainEvent.SessionId}";
        var step = JourneyFunnel.Apply(journey, role.Value, domainEvent, _sessions.Get(sessionKey), options.WindowSize);
        foreach (var delta in step.Deltas)
        {
            Add(journey, delta, streamTime);
        }

        if (step.Session is not null)
        {
            _sessions.Put(sessionKey, step.Session);
        }
    }

    public void Close()
    {
    }

    private void Add(JourneySpec journey, KpiDelta delta, DateTimeOffset streamTime)
    {
        var retainUntil = delta.Key.Window.End + options.Grace + journey.ConversionTimeout;
        if (retainUntil <= streamTime)
        {
            // Older than any window still held: the metric above is its only trace.
            return;
        }

        var current = _windows.Get(delta.Key);
        var counters = (current?.Window.Counters ?? KpiCounters.Zero).Merge(delta.Counters);
        _windows.Put(delta.Key, new WindowState(new KpiWindow(journey.Name, delta.Segment, delta.Key.Window, counters), Dirty: true, retainUntil));
    }

    private void EmitAndExpire(DateTimeOffset streamTime)
    {
        foreach (var (key, state) in _windows.All().OrderBy(e => e.Key.Window.Start).ThenBy(e => e.Key.ToString(), StringComparer.Ordinal))
        {
            if (state.Dirty && key.Window.IsClosedAt(streamTime, options.Grace))
            {
                _context.Forward(new Record<string, KpiWindow>(key.ToString(), state.Window, key.Window.Start, []), KpiChild);
                metrics.WindowEmitted(key.Journey);
                board.Update(state.Window);
                _windows.Put(key, state with { Dirty = false });
            }

            if (state.RetainUntil <= streamTime)
            {
                _windows.Delete(key);
            }
        }

        foreach (var (key, session) in _sessions.All())
        {
            var journey = catalog.Find(session.Journey);
            if (journey is null || session.ConversionDeadline(journey.ConversionTimeout) + options.Grace <= streamTime)
            {
                _sessions.Delete(key);
            }
        }

        foreach (var (eventId, occurredAt) in _seen.All())
        {
            if (occurredAt + options.DeduplicationHorizon <= streamTime)
            {
                _seen.Delete(eventId);
            }
        }
    }
}
