using System.Collections.Immutable;
using System.Globalization;
using KpiStream.Core.Events;
using KpiStream.Core.Journeys;
using KpiStream.Core.Kpis;
using KpiStream.Core.Slos;
using KpiStream.Core.Windows;
using KpiStream.Processor.Observability;
using KpiStream.Streaming.Processors;
using KpiStream.Streaming.Records;
using KpiStream.Streaming.Stores;

namespace KpiStream.Processor.Kpis;

/// <summary>
/// Stage 2's SLO evaluator, child of the window processor in each task (which owns whole
/// journeys): keeps per-minute and per-hour SLI counts of every SLO, per segment and for the whole
/// journey, judges the journey at the end of every closed minute of event time against its alert
/// policy, and writes a record to kpi.alerts for each change of alert state. Alerts are
/// journey-wide (segment <c>*</c>), naming the worst segments, so one outage pages once rather
/// than once per segment, and small segments do not page on a single failure; per-segment burn
/// rates and budgets are exported as gauges for drill-down. Evaluating every minute, traffic or not, is what
/// lets alerts resolve when a segment goes quiet, and makes alerts independent of how input was
/// batched: the same records give the same alerts.
/// </summary>
public sealed class SloEvaluator(JourneyCatalog catalog, KpiStreamMetrics metrics, LatestKpiBoard board) : IProcessor<string?, SloInput>
{
    public const string MinutesStore = "slo-minutes";
    public const string HoursStore = "slo-hours";
    public const string AlertsStore = "slo-alerts";
    public const string ProgressStore = "slo-progress";
    public const string DeploysStore = "slo-deploys";
    public const string BusinessStore = "slo-business";
    public const string AlertChild = "kpi-alerts-sink";

    private const int WorstSegments = 3;
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    // Revenue at risk compares the alert's span with the conversion and order value of the hour before the alert's hour.
    private static readonly TimeSpan Baseline = TimeSpan.FromHours(1);

    // A watermark jumping further than this at once (an idle advance over a long gap) is judged over its last day only.
    private static readonly TimeSpan MaxCatchUp = TimeSpan.FromDays(1);

    private readonly Dictionary<string, SloSubject> _subjects = new(StringComparer.Ordinal);
    private readonly ExpiryIndex<string> _minutesExpiry = new();
    private readonly ExpiryIndex<string> _hoursExpiry = new();

    // Per journey: successes of attempts, and revenue of successes, per minute.
    private readonly Dictionary<string, (SliLedger Conversions, SliLedger Revenue)> _business = new(StringComparer.Ordinal);
    private readonly ExpiryIndex<string> _businessExpiry = new();
    private IProcessorContext _context = null!;
    private IKeyValueStore<string, SliMinute> _minutes = null!;
    private IKeyValueStore<string, SliMinute> _hours = null!;
    private IKeyValueStore<string, AlertLifecycle> _alerts = null!;
    private EvaluationProgress _progress = null!;
    private RecentDeploys _deploys = null!;
    private IKeyValueStore<string, JourneyBusiness> _businessStore = null!;

    public void Init(IProcessorContext context)
    {
        _context = context;
        _minutes = context.GetStateStore<IKeyValueStore<string, SliMinute>>(MinutesStore);
        _hours = context.GetStateStore<IKeyValueStore<string, SliMinute>>(HoursStore);
        _alerts = context.GetStateStore<IKeyValueStore<string, AlertLifecycle>>(AlertsStore);
        _progress = new EvaluationProgress(context.GetStateStore<IKeyValueStore<string, long>>(ProgressStore));
        _progress.Restore();
        _deploys = new RecentDeploys(context.GetStateStore<IKeyValueStore<string, DeploymentMarker>>(DeploysStore), MaxCatchUp);
        _businessStore = context.GetStateStore<IKeyValueStore<string, JourneyBusiness>>(BusinessStore);
        foreach (var (key, minute) in _businessStore.All().OrderBy(e => e.Value.MinuteStartMs))
        {
            AddBusiness(minute);
            _businessExpiry.Add(key, DateTimeOffset.FromUnixTimeMilliseconds(minute.MinuteStartMs) + AlertPolicy.Workbook.History.Duration);
        }

        _deploys.Restore();

        Restore(_minutes, _minutesExpiry, s => s.Minutes, s => s.Slo.Alerting.History.Duration);
        Restore(_hours, _hoursExpiry, s => s.Hours, s => s.Slo.Period);

        foreach (var subject in _subjects.Values)
        {
            foreach (var severity in Enum.GetValues<AlertSeverity>())
            {
                if (_alerts.TryGet(SloSubject.AlertKeyOf(subject.Key, severity), out var lifecycle))
                {
                    subject.Alerts[severity] = lifecycle;
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
            case ClosedMinutes closed:
                Close(closed);
                break;
        }
    }

    private void Close(ClosedMinutes signal)
    {
        if (!_progress.IsNew(signal))
        {
            // A replay of what the state already reflects.
            return;
        }

        // Ledgers only grow forwards, and a window read at a minute must not have lost its oldest steps to later ones: record, then judge, minute by minute.
        var minutes = signal.Minutes.GroupBy(m => (m.Journey, m.Window.Start)).OrderBy(g => g.Key.Start).Select(g => g.ToList()).ToList();
        _progress.Judge(signal, MaxCatchUp, minutes, m => m[0].Window.Start, Record, end =>
        {
            foreach (var subject in _subjects.Values)
            {
                Evaluate(subject, end - Minute, publishStatus: end == signal.ClosedThrough);
            }
        });

        Expire(signal.ClosedThrough);
    }

    public void Close()
    {
    }

    /// <summary>Rebuilds one kind of ledger from its store, oldest step first, and re-arms the store's expiry.</summary>
    private void Restore(IKeyValueStore<string, SliMinute> store, ExpiryIndex<string> expiry, Func<SloSubject, SliLedger> ledgerOf, Func<SloSubject, TimeSpan> retention)
    {
        foreach (var (key, step) in store.All().OrderBy(e => e.Value.StepStartMs))
        {
            if (Subject(step.Slo, step.Journey, step.SegmentKey) is { } subject)
            {
                var start = DateTimeOffset.FromUnixTimeMilliseconds(step.StepStartMs);
                ledgerOf(subject).Add(start, new SliCounts(step.Good, step.Total));
                expiry.Add(key, start + retention(subject));
            }
        }
    }

    /// <summary>Records one closed minute: every segment of it arrives in the same signal, so the journey-wide counts are their sum.</summary>
    private void Record(IReadOnlyList<KpiWindow> segments)
    {
        if (catalog.Find(segments[0].Journey) is not { } journey)
        {
            return;
        }

        var start = segments[0].Window.Start;
        var businessKey = $"{journey.Name}|{start.ToUnixTimeMilliseconds()}";
        if (!_businessStore.TryGet(businessKey, out _))
        {
            var business = new JourneyBusiness(
                journey.Name,
                start.ToUnixTimeMilliseconds(),
                segments.Sum(s => s.Counters.Attempts),
                segments.Sum(s => s.Counters.Successes),
                segments.Sum(s => s.Counters.Revenue.Amounts.Values.Sum()));
            if (AddBusiness(business))
            {
                _businessStore.Put(businessKey, business);
                _businessExpiry.Add(businessKey, start + AlertPolicy.Workbook.History.Duration);
            }
        }

        foreach (var slo in journey.Slos)
        {
            var all = SliCounts.None;
            foreach (var segment in segments)
            {
                var counts = SliMeasure.Of(slo, segment.Counters);
                if (counts.Total > 0)
                {
                    Record(Subject(slo.Name, journey.Name, segment.Segment.Key)!, start, counts);
                    all = all.Plus(counts);
                }
            }

            if (all.Total > 0)
            {
                Record(Subject(slo.Name, journey.Name, SloSubject.AllSegments)!, start, all);
            }
        }
    }

    /// <remarks>
    /// Idempotent: a minute already stored was recorded before a restore (the ledgers were rebuilt
    /// from the store), so a replayed signal changes nothing. The hour store is declared after the
    /// minute store, so a torn flush can lose a minute from the budget but never count it twice.
    /// </remarks>
    private void Record(SloSubject subject, DateTimeOffset start, SliCounts counts)
    {
        var minuteKey = $"{subject.Key}|{start.ToUnixTimeMilliseconds()}";
        if (_minutes.TryGet(minuteKey, out _) || subject.Minutes.Newest > start)
        {
            return;
        }

        var slo = subject.Slo;
        subject.Minutes.Add(start, counts);
        _minutes.Put(minuteKey, new SliMinute(slo.Name, subject.Journey.Name, subject.SegmentKey, start.ToUnixTimeMilliseconds(), counts.Good, counts.Total));
        _minutesExpiry.Add(minuteKey, start + slo.Alerting.History.Duration);

        var hour = TumblingWindow.Containing(start, Hour).Start;
        subject.Hours.Add(start, counts);
        var hourKey = $"{subject.Key}|{hour.ToUnixTimeMilliseconds()}";
        var storedHour = _hours.Get(hourKey);
        _hours.Put(hourKey, new SliMinute(slo.Name, subject.Journey.Name, subject.SegmentKey, hour.ToUnixTimeMilliseconds(), (storedHour?.Good ?? 0) + counts.Good, (storedHour?.Total ?? 0) + counts.Total));
        if (storedHour is null)
        {
            _hoursExpiry.Add(hourKey, hour + slo.Period);
        }
    }

    private void Evaluate(SloSubject subject, DateTimeOffset minuteStart, bool publishStatus)
    {
        var alerting = subject.SegmentKey == SloSubject.AllSegments;
        if (!alerting && !publishStatus)
        {
            return;
        }

        var slo = subject.Slo;
        var evaluation = slo.Alerting.Evaluate(w => subject.Minutes.Over(w.Duration, minuteStart), slo.Objective);
        var budget = new ErrorBudget(slo.Objective, subject.Hours.Over(slo.Period, minuteStart));

        // Most urgent first: a firing page keeps a ticket from opening (its rules trip too while the page burns); a ticket already open follows its own rules.
        foreach (var severity in alerting ? Enum.GetValues<AlertSeverity>() : [])
        {
            var inhibited = severity != AlertSeverity.Page && subject.Alerts[AlertSeverity.Page].IsFiring && !subject.Alerts[severity].IsFiring;
            Step(subject, severity, evaluation.Trips(severity) && !inhibited, evaluation, budget, minuteStart);
        }

        if (publishStatus)
        {
            metrics.Slos.Status(subject.Journey.Name, subject.SegmentKey, slo.Name, evaluation.BurnRates, budget);
            if (alerting)
            {
                board.Update(new SloStatus(subject.Journey.Name, slo.Name, slo.Objective, minuteStart, evaluation.BurnRates, budget));
            }
        }
    }

    private void Step(SloSubject subject, AlertSeverity severity, bool tripped, BurnRateEvaluation evaluation, ErrorBudget budget, DateTimeOffset minuteStart)
    {
        var at = minuteStart + Minute;
        var current = subject.Alerts[severity];
        var (next, transition) = current.Step(severity, tripped, at, subject.Slo.Alerting.ResolveAfter, subject.Key);
        if (next != current)
        {
            subject.Alerts[severity] = next;
            _alerts.Put(SloSubject.AlertKeyOf(subject.Key, severity), next);
        }

        if (transition is not null)
        {
            var alert = AlertOf(subject, transition, evaluation, budget, minuteStart);
            _context.Forward(new Record<string, SloAlert>(alert.AlertId, alert, at, []), AlertChild);
            metrics.Slos.AlertChanged(alert);
            board.Update(alert);
        }
    }

    private SloAlert AlertOf(SloSubject subject, AlertTransition transition, BurnRateEvaluation evaluation, ErrorBudget budget, DateTimeOffset minuteStart)
    {
        var slo = subject.Slo;
        var at = minuteStart + Minute;
        var firingFor = at - transition.StartedAt;
        // The span judged: since the alert started when it resolves, the window that tripped it when it fires.
        var span = transition.Status == AlertStatus.Resolved
            ? firingFor
            : evaluation.Tripped.Where(r => r.Severity == transition.Severity).Max(r => r.LongWindow.Duration);
        var impact = ImpactOf(subject.Journey, span, minuteStart, transition.StartedAt, firingFor);
        var tripped = transition.Status == AlertStatus.Firing ? evaluation.TrippedWindows(transition.Severity) : [];
        var worst = _subjects.Values
            .Where(s => s.Slo == slo && s.Journey == subject.Journey && s.SegmentKey != SloSubject.AllSegments)
            .Select(s => (s.SegmentKey, Bad: s.Minutes.Over(span, minuteStart).Bad))
            .Where(s => s.Bad > 0)
            .OrderByDescending(s => s.Bad).ThenBy(s => s.SegmentKey, StringComparer.Ordinal)
            .Take(WorstSegments)
            .Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.SegmentKey} ({s.Bad} bad)"));
        var summary = transition.Status == AlertStatus.Firing
            ? string.Create(CultureInfo.InvariantCulture, $"{transition.Severity}: {slo.Name} of {subject.Journey.Name} burning {string.Join(", ", tripped.Select(w => $"{evaluation.BurnRates[w]:0.#}x over {w}"))}; {budget.Consumed * 100:0}% of the {slo.Period.TotalDays:0}-day budget spent; worst segments: {string.Join("; ", worst)}")
            : string.Create(CultureInfo.InvariantCulture, $"Resolved: {slo.Name} of {subject.Journey.Name} after {firingFor.TotalMinutes:0} min");
        return new SloAlert(
            transition.AlertId,
            transition.Status,
            transition.Severity,
            subject.Journey.Name,
            subject.SegmentKey,
            slo.Name,
            evaluation.BurnRates,
            tripped,
            budget.Consumed,
            transition.StartedAt,
            transition.EndedAt,
            subject.Journey.Owner,
            slo.Runbook,
            impact,
            _deploys.Before(subject.Journey, transition.StartedAt),
            summary);
    }

    /// <summary>
    /// Sessions that hit the journey in the span, and the conversions lost against the hour before
    /// the alert's own hour, priced at that hour's average order value.
    /// </summary>
    private CustomerImpact ImpactOf(JourneySpec journey, TimeSpan span, DateTimeOffset minuteStart, DateTimeOffset startedAt, TimeSpan firingFor)
    {
        if (!_business.TryGetValue(journey.Name, out var business))
        {
            return CustomerImpact.Estimate(0, 0, 0, 0, journey.Criticality, journey.Stage, firingFor, catalog.ImpactWeights);
        }

        var during = business.Conversions.Over(span, minuteStart);
        var baselineAsOf = startedAt - Baseline - Minute;
        var baseline = business.Conversions.Over(Baseline, baselineAsOf);
        var revenue = business.Revenue.Over(Baseline, baselineAsOf);
        return CustomerImpact.Estimate(
            during.Total,
            during.Good,
            baseline.Total == 0 ? 0 : (double)baseline.Good / baseline.Total,
            revenue.Total == 0 ? 0 : revenue.Good / revenue.Total,
            journey.Criticality,
            journey.Stage,
            firingFor,
            catalog.ImpactWeights);
    }

    /// <returns>False when the minute is not after the newest held (a replay after a restore).</returns>
    private bool AddBusiness(JourneyBusiness minute)
    {
        if (!_business.TryGetValue(minute.Journey, out var ledgers))
        {
            var minutes = AlertPolicy.Workbook.History.Minutes;
            ledgers = (new SliLedger(Minute, minutes), new SliLedger(Minute, minutes));
            _business[minute.Journey] = ledgers;
        }

        var start = DateTimeOffset.FromUnixTimeMilliseconds(minute.MinuteStartMs);
        if (ledgers.Conversions.Newest >= start)
        {
            return false;
        }

        ledgers.Conversions.Add(start, new SliCounts(minute.Successes, minute.Attempts));
        ledgers.Revenue.Add(start, new SliCounts(minute.RevenueMinor, minute.Successes));
        return true;
    }

    /// <summary>The subject of an SLO of a configured journey, created on first sight; null when the configuration no longer has it.</summary>
    private SloSubject? Subject(string sloName, string journeyName, string segmentKey)
    {
        var key = SloSubject.KeyOf(sloName, journeyName, segmentKey);
        if (_subjects.TryGetValue(key, out var subject))
        {
            return subject;
        }

        if (catalog.Find(journeyName) is not { } journey || journey.Slos.FirstOrDefault(s => s.Name == sloName) is not { } slo)
        {
            return null;
        }

        subject = new SloSubject(journey, slo, segmentKey);
        _subjects[key] = subject;
        return subject;
    }

    private void Expire(DateTimeOffset now)
    {
        foreach (var key in _minutesExpiry.TakeDue(now))
        {
            _minutes.Delete(key);
        }

        foreach (var key in _hoursExpiry.TakeDue(now))
        {
            _hours.Delete(key);
        }

        foreach (var key in _businessExpiry.TakeDue(now))
        {
            _businessStore.Delete(key);
        }

        _deploys.Expire(now);
    }
}
