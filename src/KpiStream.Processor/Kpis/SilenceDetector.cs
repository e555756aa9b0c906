using System.Collections.Immutable;
using System.Globalization;
using KpiStream.Core.Journeys;
using KpiStream.Core.Slos;
using KpiStream.Processor.Observability;
using KpiStream.Streaming.Processors;
using KpiStream.Streaming.Records;
using KpiStream.Streaming.Stores;

namespace KpiStream.Processor.Kpis;

/// <summary>
/// Stage 2's watch for silent failures, beside the SLO evaluator: counts each journey's events
/// per closed minute and, at the end of every closed minute, pages when a journey that normally
/// has traffic went quiet against its own recent baseline (<see cref="SilenceRule"/>). No SLO
/// burns when no events arrive, so this is the alert for a broken client or a dropped pipeline.
/// </summary>
public sealed class SilenceDetector(JourneyCatalog catalog, SilenceRule rule, KpiStreamMetrics metrics, LatestKpiBoard board) : IProcessor<string?, SloInput>
{
    /// <summary>The <c>slo</c> of silence alerts on kpi.alerts.</summary>
    public const string AlertName = "silence";
    public const string ActivityStore = "silence-activity";
    public const string AlertsStore = "silence-alerts";
    public const string ProgressStore = "silence-progress";

    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan ResolveAfter = TimeSpan.FromMinutes(5);

    private readonly Dictionary<string, SliLedger> _activity = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AlertLifecycle> _alerts = new(StringComparer.Ordinal);
    private readonly ExpiryIndex<string> _expiry = new();
    private IProcessorContext _context = null!;
    private IKeyValueStore<string, SliMinute> _activityStore = null!;
    private IKeyValueStore<string, AlertLifecycle> _alertStore = null!;
    private EvaluationProgress _progress = null!;

    private TimeSpan Span => rule.Baseline + rule.Quiet;

    public void Init(IProcessorContext context)
    {
        _context = context;
        _activityStore = context.GetStateStore<IKeyValueStore<string, SliMinute>>(ActivityStore);
        _alertStore = context.GetStateStore<IKeyValueStore<string, AlertLifecycle>>(AlertsStore);
        _progress = new EvaluationProgress(context.GetStateStore<IKeyValueStore<string, long>>(ProgressStore));
        _progress.Restore();

        foreach (var (key, minute) in _activityStore.All().OrderBy(e => e.Value.StepStartMs))
        {
            var start = DateTimeOffset.FromUnixTimeMilliseconds(minute.StepStartMs);
            Ledger(minute.Journey).Add(start, new SliCounts(minute.Good, minute.Total));
            _expiry.Add(key, start + Span);
        }

        foreach (var journey in catalog.Journeys)
        {
            if (_alertStore.TryGet(journey.Name, out var lifecycle))
            {
                _alerts[journey.Name] = lifecycle;
            }
        }
    }

    public void Process(Record<string?, SloInput> record)
    {
        if (record.Value is not ClosedMinutes signal || !_progress.IsNew(signal))
        {
            return;
        }

        _progress.Judge(signal, Span, Record, end =>
        {
            foreach (var journey in catalog.Journeys)
            {
                Evaluate(journey, end);
            }
        });

        foreach (var key in _expiry.TakeDue(signal.ClosedThrough))
        {
            _activityStore.Delete(key);
        }
    }

    public void Close()
    {
    }

    /// <remarks>Idempotent: a minute already stored was recorded before a restore, so a replayed signal changes nothing.</remarks>
    private void Record(JourneyMinute minute)
    {
        var (journey, start) = (minute.Journey, minute.Start);
        var events = minute.Counters.Attempts + minute.Counters.Successes + minute.Counters.Failures;
        var key = $"{journey}|{start.ToUnixTimeMilliseconds()}";
        if (events == 0 || catalog.Find(journey) is null || _activityStore.TryGet(key, out _) || Ledger(journey).Newest > start)
        {
            return;
        }

        Ledger(journey).Add(start, new SliCounts(events, events));
        _activityStore.Put(key, new SliMinute(AlertName, journey, SloSubject.AllSegments, start.ToUnixTimeMilliseconds(), events, events));
        _expiry.Add(key, start + Span);
    }

    private void Evaluate(JourneySpec journey, DateTimeOffset now)
    {
        var ledger = _activity.GetValueOrDefault(journey.Name);
        long CountBetween(DateTimeOffset from, DateTimeOffset to) => ledger?.Over(to - from, to - Minute).Total ?? 0;
        var silent = ledger is not null && rule.IsSilent(CountBetween, now);
        var current = _alerts.GetValueOrDefault(journey.Name, AlertLifecycle.Idle);
        var (next, transition) = current.Step(AlertSeverity.Page, silent, now, ResolveAfter, $"{AlertName}|{journey.Name}|{SloSubject.AllSegments}");
        if (next != current)
        {
            _alerts[journey.Name] = next;
            _alertStore.Put(journey.Name, next);
        }

        if (transition is null)
        {
            return;
        }

        var quietFrom = transition.StartedAt - rule.Quiet;
        var expected = (long)Math.Round(CountBetween(quietFrom - rule.Baseline, quietFrom) / rule.Baseline.TotalMinutes * rule.Quiet.TotalMinutes);
        var seen = CountBetween(quietFrom, transition.StartedAt);
        var summary = transition.Status == AlertStatus.Firing
            ? string.Create(CultureInfo.InvariantCulture, $"Page: {journey.Name} went quiet: {seen} events in the last {rule.Quiet.TotalMinutes:0} min against {expected} expected from the hour before")
            : string.Create(CultureInfo.InvariantCulture, $"Resolved: {journey.Name} traffic is back after {(now - transition.StartedAt).TotalMinutes:0} min");
        var alert = new SloAlert(
            transition.AlertId, transition.Status, AlertSeverity.Page, journey.Name, SloSubject.AllSegments, AlertName,
            ImmutableSortedDictionary<string, double>.Empty, [], 0, transition.StartedAt, transition.EndedAt, journey.Owner, null,
            CustomerImpact.Estimate(Math.Max(0, expected - seen), 0, 0, 0, journey.Criticality, journey.Stage, now - transition.StartedAt, catalog.ImpactWeights), [], summary);
        _context.Forward(new Record<string, SloAlert>(alert.AlertId, alert, now, []), SloEvaluator.AlertChild);
        metrics.Slos.AlertChanged(alert);
        board.Update(alert);
    }

    private SliLedger Ledger(string journey)
    {
        if (!_activity.TryGetValue(journey, out var ledger))
        {
            ledger = new SliLedger(Minute, (int)Span.TotalMinutes);
            _activity[journey] = ledger;
        }

        return ledger;
    }
}
