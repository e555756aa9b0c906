using System.Collections.Immutable;
using KpiStream.Core.Events;
using KpiStream.Core.Journeys;
using KpiStream.Core.Kpis;
using KpiStream.Core.Validation;
using KpiStream.Core.Windows;
using KpiStream.Processor.Conventions;
using KpiStream.Processor.Kpis;
using KpiStream.Processor.Kpis.Alerting;
using KpiStream.Processor.Kpis.Partials;
using KpiStream.Processor.Kpis.State;
using KpiStream.Streaming.Processors;
using KpiStream.Streaming.Records;
using KpiStream.Streaming.Stores;

namespace KpiStream.Processor.Kpis.Windows;

/// <summary>
/// Stage 2, one task per repartition partition (journey keys): keeps the latest partial
/// snapshot per input partition for each minute, and emits a minute's KPIs once, when they are
/// final: when every source has announced a stream time past the minute's conversion horizon.
/// The watermark is the minimum over sources, so a lagging one holds emission back instead of
/// having its contribution cut off. Sources 0..<c>requiredSources</c>−1 (the domain-events
/// partitions) must all have spoken; later ones (telemetry) count from their first announcement,
/// so a deployment without telemetry is not held back by it. Each final minute is also folded
/// into its rollup windows (5 minutes and an hour by default), which are emitted when their last
/// minute is final.
/// </summary>
public sealed class KpiWindowProcessor(
    JourneyCatalog catalog,
    KpiOptions options,
    int requiredSources,
    IKpiMetrics metrics,
    IKpiBoard board) : IProcessor<byte[]?, byte[]?>
{
    private IProcessorContext _context = null!;
    private IKeyValueStore<string, MinuteBucket> _buckets = null!;
    private IKeyValueStore<string, RollupBucket> _rollups = null!;
    private IKeyValueStore<int, long> _watermarks = null!;

    // Buckets by the time they become final, so emission does not scan the store.
    private readonly SortedSet<(DateTimeOffset FinalAt, string Key)> _pending = [];

    // Rollups by the time their last minute becomes final.
    private readonly SortedSet<(DateTimeOffset FinalAt, string Key)> _pendingRollups = [];

    // Buckets by the time their SLIs are final (end + grace), for alerting.
    private readonly SortedSet<(DateTimeOffset ClosesAt, string Key)> _closing = [];

    // Sources beyond the required ones that have announced a stream time.
    private readonly SortedSet<int> _optionalSources = [];

    public void Init(IProcessorContext context)
    {
        _context = context;
        _buckets = context.GetStateStore<IKeyValueStore<string, MinuteBucket>>(KpiTopology.WindowBucketsStore);
        _rollups = context.GetStateStore<IKeyValueStore<string, RollupBucket>>(KpiTopology.WindowRollupsStore);
        _watermarks = context.GetStateStore<IKeyValueStore<int, long>>(KpiTopology.WindowWatermarksStore);
        foreach (var (source, _) in _watermarks.All())
        {
            if (source >= requiredSources)
            {
                _optionalSources.Add(source);
            }
        }

        var watermark = Watermark();
        foreach (var (key, bucket) in _buckets.All())
        {
            _pending.Add((FinalAt(bucket.Journey, bucket.Window), key));
            if (ClosesAt(bucket.Window) > watermark)
            {
                _closing.Add((ClosesAt(bucket.Window), key));
            }
        }

        foreach (var (key, rollup) in _rollups.All())
        {
            _pendingRollups.Add((FinalAt(rollup.Journey, rollup.Window), key));
        }
    }

    public void Process(Record<byte[]?, byte[]?> record)
    {
        if (record.Header(HeaderNames.Deployment) is not null)
        {
            if (InternalJson.Deserialize<DeploymentMarker>(record.Value) is { } marker)
            {
                _context.Forward(new Record<string?, AlertingInput>(null, new DeployObserved(marker), record.Timestamp, []), KpiTopology.AlertingNode);
                return;
            }
        }
        else if (record.Header(HeaderNames.StreamTimeTick) is not null)
        {
            if (InternalJson.Deserialize<StreamTimeTick>(record.Value) is { } tick)
            {
                Advance(tick);
                return;
            }
        }
        else if (PartialSnapshotCodec.Decode(record.Value) is { } snapshot && catalog.Find(snapshot.Journey) is { } journey)
        {
            Apply(journey, snapshot);
            return;
        }

        DeadLetters.Send(_context, metrics, DeadLetters.Undecodable(record, options.UndecodablePayloads), new Rejection(DeadLetterReason.UndecodableAvro, "not a partial snapshot, stream-time tick or deployment marker of a configured journey"), options.MaxDeadLetterBytes, KpiTopology.WindowDeadLetterSink);
    }

    public void Close()
    {
    }

    private void Apply(JourneySpec journey, PartialSnapshot snapshot)
    {
        var window = snapshot.Window;
        var finalAt = FinalAt(journey.Name, window);
        var watermark = Watermark();
        if (finalAt <= watermark)
        {
            // Only possible after an idle advance outran a partition: the window was already emitted.
            metrics.LatePartial(journey.Name);
            return;
        }

        var segment = Segment.FromAttributes(snapshot.Segment);
        var key = new KpiWindowKey(journey.Name, segment.Key, window).ToString();
        var bucket = _buckets.Get(key);
        if (bucket is null)
        {
            bucket = new MinuteBucket(journey.Name, segment, window, ImmutableSortedDictionary<int, PartialSnapshot>.Empty);
            _pending.Add((finalAt, key));
            if (ClosesAt(window) > watermark)
            {
                _closing.Add((ClosesAt(window), key));
            }
        }

        if (bucket.With(snapshot) is { } updated)
        {
            _buckets.Put(key, updated);
            board.Update(updated);
        }
    }

    private void Advance(StreamTimeTick tick)
    {
        var before = Watermark();
        if (_watermarks.TryGet(tick.SourcePartition, out var announced) && tick.StreamTimeMs <= announced)
        {
            return;
        }

        _watermarks.Put(tick.SourcePartition, tick.StreamTimeMs);
        if (tick.SourcePartition >= requiredSources)
        {
            _optionalSources.Add(tick.SourcePartition);
        }

        var watermark = Watermark();
        if (watermark > before)
        {
            CloseMinutes(watermark);
            // This tick moved the minimum, so its ingestion time is when these windows became final.
            EmitFinal(watermark, DateTimeOffset.FromUnixTimeMilliseconds(tick.IngestedAtMs));
        }
    }

    /// <summary>The stream time every source has reached; minimum until all required ones have spoken.</summary>
    private DateTimeOffset Watermark()
    {
        var lowest = long.MaxValue;
        foreach (var source in Enumerable.Range(0, requiredSources).Concat(_optionalSources))
        {
            if (!_watermarks.TryGet(source, out var announced))
            {
                return DateTimeOffset.MinValue;
            }

            lowest = Math.Min(lowest, announced);
        }

        return DateTimeOffset.FromUnixTimeMilliseconds(lowest);
    }

    /// <summary>Hands alerting the minutes whose SLIs became final, and how far every minute is closed.</summary>
    private void CloseMinutes(DateTimeOffset watermark)
    {
        var closed = new List<KpiWindow>();
        while (_closing.Count > 0 && _closing.Min.ClosesAt <= watermark)
        {
            closed.Add(_buckets.Get(_closing.Min.Key)!.Merged());
            _closing.Remove(_closing.Min);
        }

        var closedThrough = TumblingWindow.Containing(watermark - options.Grace, options.WindowSize).Start;
        _context.Forward(new Record<string?, AlertingInput>(null, new ClosedMinutes(closed, closedThrough), closedThrough, []), KpiTopology.AlertingNode);
    }

    private DateTimeOffset ClosesAt(TumblingWindow window) => window.End + options.Grace;

    private void EmitFinal(DateTimeOffset watermark, DateTimeOffset finalSince)
    {
        var latency = _context.WallClockTime - finalSince;
        while (_pending.Count > 0 && _pending.Min.FinalAt <= watermark)
        {
            var (_, key) = _pending.Min;
            _pending.Remove(_pending.Min);
            var bucket = _buckets.Get(key)!;
            var window = bucket.Merged();
            Emit(key, window, latency);
            board.Update(bucket);
            _buckets.Delete(key);
            RollUp(window);
        }

        // After the minutes: a rollup is final together with its last minute.
        while (_pendingRollups.Count > 0 && _pendingRollups.Min.FinalAt <= watermark)
        {
            var (_, key) = _pendingRollups.Min;
            _pendingRollups.Remove(_pendingRollups.Min);
            Emit(key, _rollups.Get(key)!.Merged(), latency);
            _rollups.Delete(key);
        }
    }

    private void Emit(string key, KpiWindow window, TimeSpan latency)
    {
        _context.Forward(new Record<string, KpiWindow>(key, window, window.Window.Start, []), KpiTopology.KpiWindowedSink);
        metrics.WindowEmitted(window.Journey, window.Window.Size, latency, _context.WallClockTime);
    }

    private void RollUp(KpiWindow minute)
    {
        foreach (var size in options.RollupWindows)
        {
            var window = TumblingWindow.Containing(minute.Window.Start, size);
            var key = new KpiWindowKey(minute.Journey, minute.Segment.Key, window).ToString();
            var rollup = _rollups.Get(key);
            if (rollup is null)
            {
                rollup = RollupBucket.Empty(minute.Journey, minute.Segment, window);
                _pendingRollups.Add((FinalAt(minute.Journey, window), key));
            }

            if (rollup.With(minute) is { } updated)
            {
                _rollups.Put(key, updated);
            }
        }
    }

    /// <summary>When a window's last minute is final; for a minute window, when it is.</summary>
    private DateTimeOffset FinalAt(string journey, TumblingWindow window) =>
        ConversionHorizon.FinalAt(
            new TumblingWindow(window.End - options.WindowSize, options.WindowSize),
            catalog.Find(journey)?.ConversionTimeout ?? TimeSpan.Zero,
            options.Grace);
}
