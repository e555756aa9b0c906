using KpiStream.Core.Journeys;
using KpiStream.Core.Kpis;
using KpiStream.Core.Windows;
using KpiStream.Processor.Conventions;
using KpiStream.Processor.Kpis;
using KpiStream.Processor.Kpis.State;
using KpiStream.Streaming.Processors;
using KpiStream.Streaming.Records;
using KpiStream.Streaming.Stores;

namespace KpiStream.Processor.Kpis.Partials;

/// <summary>
/// Stage 1's pre-aggregation, owned by each processor that feeds stage 2: cumulative counters per
/// journey, segment and minute, each remembering the highest input offset folded in, and the
/// task's clock. At each commit it sends the counters that changed, then its stream time, as
/// source <c>sourceIdBase + partition</c>, so stage 2 can tell every feeding task apart.
/// </summary>
/// <param name="advanceBeforeFirstInput">
/// Whether an idle task that never saw input lets stream time follow the wall clock. Required
/// inputs do, so an empty partition cannot hold windows back; optional ones (telemetry) stay
/// silent until their first record, so their absence holds back nothing.
/// </param>
public sealed class MinutePartials(JourneyCatalog catalog, KpiOptions options, int sourceIdBase, bool advanceBeforeFirstInput)
{
    private const string ClockKey = "clock";

    // Partials changed since the last commit, folded into in memory and written to the store at the commit.
    private readonly Dictionary<string, ChangedPartial> _changed = new(StringComparer.Ordinal);
    private readonly ExpiryIndex<string> _expiry = new();
    private readonly Dictionary<KpiWindowKey, string> _storeKeys = [];
    private IProcessorContext _context = null!;
    private IKeyValueStore<string, PartialState> _partials = null!;
    private IKeyValueStore<string, TaskClock> _clockStore = null!;
    private DateTimeOffset _lastInputWallClock;
    private DateTimeOffset _lastExpiry = DateTimeOffset.MinValue;

    // The task clock changes with every record: it is kept here and written to its store at each commit.
    private DateTimeOffset _streamTime;
    private long _appliedOffset;
    private DateTimeOffset _announced;
    private DateTimeOffset _advancedAt;
    private bool _clockChanged;

    public void Init(IProcessorContext context, string partialsStore, string clockStore)
    {
        _context = context;
        _partials = context.GetStateStore<IKeyValueStore<string, PartialState>>(partialsStore);
        _clockStore = context.GetStateStore<IKeyValueStore<string, TaskClock>>(clockStore);
        var clock = _clockStore.Get(ClockKey) ?? TaskClock.Start;
        (_streamTime, _appliedOffset, _announced, _advancedAt) = (clock.StreamTime, clock.AppliedOffset, clock.Announced, clock.AdvancedAt);
        _lastInputWallClock = context.WallClockTime;
        foreach (var (key, partial) in _partials.All())
        {
            // Stored only at commits, after being sent (outputs are flushed before changelogs): nothing here is unsent.
            _expiry.Add(key, FinalAt(partial.Journey, partial.Window));
        }

        context.Schedule(options.TickInterval, PunctuationType.WallClockTime, AdvanceWhenIdle);
    }

    /// <summary>Whether the current record is new; false when it was already applied (a replay), and is then skipped whole.</summary>
    public bool TryAdmit(long offset)
    {
        _lastInputWallClock = _context.WallClockTime;
        return offset > _appliedOffset;
    }

    /// <summary>Marks a record that counts nowhere (dead-lettered, unattributed) as applied.</summary>
    public void Pass(long offset)
    {
        _appliedOffset = offset;
        _clockChanged = true;
    }

    /// <summary>Marks a record as applied and moves stream time to its event time if later; returns the new stream time.</summary>
    public DateTimeOffset Advance(long offset, DateTimeOffset eventTime)
    {
        if (eventTime > _streamTime)
        {
            _streamTime = eventTime;
            _advancedAt = _context.WallClockTime;
        }

        Pass(offset);
        return _streamTime;
    }

    public bool IsLate(DateTimeOffset eventTime, DateTimeOffset streamTime) =>
        TumblingWindow.Containing(eventTime, options.WindowSize).IsClosedAt(streamTime, options.Grace);

    /// <summary>Adds deltas to their partials, at most once per input offset; one record's deltas to the same partial all count.</summary>
    public void Apply(long offset, IReadOnlyList<KpiDelta> deltas)
    {
        for (var i = 0; i < deltas.Count; i++)
        {
            var delta = deltas[i];
            var key = StoreKey(delta.Key);
            if (!_changed.TryGetValue(key, out var changed))
            {
                var stored = _partials.Get(key);
                if (stored?.AppliedOffset >= offset)
                {
                    // A replay of a record this partial already holds.
                    continue;
                }

                if (stored is null)
                {
                    _expiry.Add(key, FinalAt(delta.Key.Journey, delta.Key.Window));
                }

                changed = new ChangedPartial(stored ?? new PartialState(delta.Key.Journey, delta.Segment, delta.Key.Window, KpiCounters.Zero, AppliedOffset: -1));
                _changed.Add(key, changed);
            }

            changed.Add(offset, delta.Counters);
        }
    }

    /// <summary>
    /// Sends changed partials, then stream time, downstream; deletes partials past their horizon.
    /// Returns the stream time when this commit ran expiry (once per window of stream time), so the
    /// owner can expire its own state at the same pace; null otherwise.
    /// </summary>
    public DateTimeOffset? BeforeCommit(string snapshotChild, string tickChild)
    {
        var sourceId = sourceIdBase + _context.TaskId.Partition;
        foreach (var key in _changed.Keys.Order(StringComparer.Ordinal))
        {
            var partial = _changed[key].ToSentState();
            var snapshot = PartialSnapshot.Of(sourceId, partial);
            // Keyed by journey: one stage-2 task sees every segment of a journey, so its SLOs are judged journey-wide.
            _context.Forward(new Record<string, PartialSnapshot>(partial.Journey, snapshot, partial.Window.Start, []), snapshotChild);
            _partials.Put(key, partial);
        }

        _changed.Clear();

        if (_streamTime > _announced)
        {
            var tick = new StreamTimeTick(sourceId, _streamTime.ToUnixTimeMilliseconds(), _advancedAt.ToUnixTimeMilliseconds());
            _context.Forward(new Record<string?, StreamTimeTick>(null, tick, _streamTime, []).WithHeader(HeaderNames.StreamTimeTick, "1"), tickChild);
            _announced = _streamTime;
            _clockChanged = true;
        }

        if (_clockChanged)
        {
            _clockStore.Put(ClockKey, new TaskClock(_streamTime, _appliedOffset, _announced, _advancedAt));
            _clockChanged = false;
        }

        // Expiry scans the stores, so once per window of stream time is enough.
        if (_streamTime < _lastExpiry + options.WindowSize)
        {
            return null;
        }

        // Every partial was sent above, so a due one can go.
        foreach (var key in _expiry.TakeDue(_streamTime))
        {
            _partials.Delete(key);
        }

        _storeKeys.Clear();

        _lastExpiry = _streamTime;
        return _streamTime;
    }

    /// <summary>The key's text, built once per key between expiry runs rather than once per record.</summary>
    private string StoreKey(KpiWindowKey key)
    {
        if (!_storeKeys.TryGetValue(key, out var text))
        {
            _storeKeys[key] = text = key.ToString();
        }

        return text;
    }

    public DateTimeOffset FinalAt(string journey, TumblingWindow window) =>
        ConversionHorizon.FinalAt(window, catalog.Find(journey)?.ConversionTimeout ?? TimeSpan.Zero, options.Grace);

    /// <summary>When input stops, stream time follows the wall clock (lagging by the idle threshold) so the last windows close.</summary>
    private void AdvanceWhenIdle(DateTimeOffset wallClock)
    {
        var following = wallClock - options.IdleAdvanceAfter;
        if ((advanceBeforeFirstInput || _streamTime > DateTimeOffset.MinValue)
            && wallClock - _lastInputWallClock > options.IdleAdvanceAfter && following > _streamTime)
        {
            (_streamTime, _advancedAt) = (following, wallClock);
            _clockChanged = true;
        }
    }
}
