using System.Collections.Immutable;
using System.Globalization;
using KpiStream.Core.Composites;
using KpiStream.Core.Events;
using KpiStream.Core.Journeys;
using KpiStream.Core.Kpis;
using KpiStream.Core.Slos;
using KpiStream.Processor.Observability;
using KpiStream.Streaming.Processors;
using KpiStream.Streaming.Records;
using KpiStream.Streaming.Stores;

namespace KpiStream.Processor.Kpis;

/// <summary>
/// Stage 2's judge of the composite alerts declared on journeys, beside the SLO evaluator: keeps
/// each such journey's counters per closed minute (all segments summed) for as long as its rules
/// look back, and at the end of every closed minute judges every rule, writing one kpi.alerts
/// record per state change. Judging reads only the stored minutes, so replays change nothing.
/// </summary>
public sealed class CompositeAlertEvaluator(JourneyCatalog catalog, KpiStreamMetrics metrics, LatestKpiBoard board) : IProcessor<string?, SloInput>
{
    public const string MinutesStore = "composite-minutes";
    public const string AlertsStore = "composite-alerts";
    public const string DeploysStore = "composite-deploys";
    public const string ProgressStore = "composite-progress";

    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    // Revenue at risk compares the alert's span with the hour before the minutes that tripped it.
    private static readonly TimeSpan Baseline = TimeSpan.FromHours(1);

    // Sessions affected while firing are counted over at most this much of the alert's duration.
    private static readonly TimeSpan MaxImpactSpan = TimeSpan.FromHours(6);

    private readonly Dictionary<string, MinuteHistory> _history = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AlertLifecycle> _alerts = new(StringComparer.Ordinal);
    private readonly ExpiryIndex<string> _expiry = new();
    private IProcessorContext _context = null!;
    private IKeyValueStore<string, JourneyMinute> _minutes = null!;
    private IKeyValueStore<string, AlertLifecycle> _alertStore = null!;
    private EvaluationProgress _progress = null!;
    private RecentDeploys _deploys = null!;

    /// <summary>The journeys with composite alerts; the others keep no history here.</summary>
    private IEnumerable<JourneySpec> Judged => catalog.Journeys.Where(j => j.CompositeAlerts.Length > 0);

    public void Init(IProcessorContext context)
    {
        _context = context;
        _minutes = context.GetStateStore<IKeyValueStore<string, JourneyMinute>>(MinutesStore);
        _alertStore = context.GetStateStore<IKeyValueStore<string, AlertLifecycle>>(AlertsStore);
        _progress = new EvaluationProgress(context.GetStateStore<IKeyValueStore<string, long>>(ProgressStore));
        _progress.Restore();
        _deploys = new RecentDeploys(context.GetStateStore<IKeyValueStore<string, DeploymentMarker>>(DeploysStore), MaxImpactSpan);
        _deploys.Restore();

        foreach (var (key, minute) in _minutes.All())
        {
            if (catalog.Find(minute.Journey) is { } journey)
            {
                History(journey.Name).Add(minute.Start, minute.Counters);
                _expiry.Add(key, minute.Start + Retention(journey));
            }
        }

        foreach (var journey in Judged)
        {
            foreach (var rule in journey.CompositeAlerts)
            {
                if (_alertStore.TryGet(AlertKey(journey, rule), out var lifecycle))
                {
                    _alerts[AlertKey(journey, rule)] = lifecycle;
                }
            }
        }
    }

    public void Process(Record<string?, SloInput> record)
    {
        switch (record.Value)
        {
            case DeployObserved { Deploy: var deploy }:
                _deploys.Observe(deploy);
                break;
            case ClosedMinutes closed when _progress.IsNew(closed):
                Close(closed);
                break;
        }
    }

    public void Close()
    {
    }

    private void Close(ClosedMinutes signal)
    {
        var judged = Judged.ToList();
        _progress.Judge(signal, catalog.Journeys.Max(Retention), Record, end =>
        {
            foreach (var journey in judged)
            {
                foreach (var rule in journey.CompositeAlerts)
                {
                    Judge(journey, rule, end);
                }
            }
        });

        foreach (var key in _expiry.TakeDue(signal.ClosedThrough))
        {
            if (_minutes.Get(key) is { } minute)
            {
                History(minute.Journey).Forget(minute.Start);
                _minutes.Delete(key);
            }
        }

        _deploys.Expire(signal.ClosedThrough);
    }

    /// <remarks>Idempotent: a minute already held was recorded before a restore.</remarks>
    private void Record(JourneyMinute minute)
    {
        if (catalog.Find(minute.Journey) is not { CompositeAlerts.Length: > 0 } journey || !History(journey.Name).Add(minute.Start, minute.Counters))
        {
            return;
        }

        var key = $"{minute.Journey}|{minute.Start.ToUnixTimeMilliseconds()}";
        _minutes.Put(key, minute);
        _expiry.Add(key, minute.Start + Retention(journey));
    }

    private void Judge(JourneySpec journey, CompositeRule rule, DateTimeOffset at)
    {
        var history = History(journey.Name);
        var key = AlertKey(journey, rule);
        var current = _alerts.GetValueOrDefault(key, AlertLifecycle.Idle);
        var judgement = rule.Judge(history.Sum, at, current.IsFiring ? current.StartedAt : null);
        var (next, transition) = current.Step(rule.Severity, judgement.Trips, at, rule.ResolveAfter, $"{rule.Name}|{journey.Name}|{SloSubject.AllSegments}");
        if (next != current)
        {
            _alerts[key] = next;
            _alertStore.Put(key, next);
        }

        if (transition is null)
        {
            return;
        }

        var firingFor = at - transition.StartedAt;
        var firing = transition.Status == AlertStatus.Firing;
        var span = firing ? rule.Span : Min(firingFor, MaxImpactSpan);
        var during = history.Sum(at - span, at);
        var baselineEnd = transition.StartedAt - rule.Span;
        var baseline = history.Sum(baselineEnd - Baseline, baselineEnd);
        var revenue = baseline.Revenue.Amounts.Values.Sum();
        var impact = CustomerImpact.Estimate(
            during.Attempts,
            during.Successes,
            baseline.Attempts == 0 ? 0 : (double)baseline.Successes / baseline.Attempts,
            baseline.Successes == 0 ? 0 : revenue / baseline.Successes,
            journey.Criticality,
            journey.Stage,
            firingFor,
            catalog.ImpactWeights);
        var summary = firing
            ? $"{rule.Severity}: {rule.Name} of {journey.Name}: {string.Join("; ", judgement.Readings)}"
            : string.Create(CultureInfo.InvariantCulture, $"Resolved: {rule.Name} of {journey.Name} after {firingFor.TotalMinutes:0} min");
        var alert = new SloAlert(
            transition.AlertId,
            transition.Status,
            rule.Severity,
            journey.Name,
            SloSubject.AllSegments,
            rule.Name,
            ImmutableSortedDictionary<string, double>.Empty,
            firing ? [.. rule.When.Select(c => c.ToString())] : [],
            0,
            transition.StartedAt,
            transition.EndedAt,
            journey.Owner,
            rule.Runbook,
            impact,
            _deploys.Before(journey, transition.StartedAt),
            summary);
        _context.Forward(new Record<string, SloAlert>(alert.AlertId, alert, at, []), SloEvaluator.AlertChild);
        metrics.Slos.AlertChanged(alert);
        board.Update(alert);
    }

    /// <summary>
    /// How long a journey's minutes are kept: its longest rule lookback, the impact baseline before
    /// it, and the longest impact span. A journey whose rules were removed from the configuration
    /// still lets the minutes restored for it expire.
    /// </summary>
    private static TimeSpan Retention(JourneySpec journey) =>
        journey.CompositeAlerts.Select(r => r.Lookback).DefaultIfEmpty(TimeSpan.Zero).Max() + Baseline + MaxImpactSpan;

    private static string AlertKey(JourneySpec journey, CompositeRule rule) => $"{journey.Name}|{rule.Name}";

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private MinuteHistory History(string journey)
    {
        if (!_history.TryGetValue(journey, out var history))
        {
            history = new MinuteHistory();
            _history[journey] = history;
        }

        return history;
    }
}
