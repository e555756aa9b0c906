using System.Globalization;
using KpiStream.Core.Journeys;
using KpiStream.Core.Kpis;
using KpiStream.Core.Slos;
using KpiStream.Core.Windows;
using KpiStream.Processor.Kpis;
using KpiStream.Processor.Kpis.State;
using KpiStream.Streaming.Processors;
using KpiStream.Streaming.Stores;

namespace KpiStream.Processor.Kpis.Alerting;

/// <summary>
/// Judges every SLO against its alert policy: keeps per-minute and per-hour SLI counts per segment
/// and for the whole journey, and at every minute end steps the journey-wide alert of each
/// severity. Alerts are journey-wide (segment <c>*</c>) and name the worst segments, so one outage
/// pages once; per-segment burn rates and budgets are published as gauges for drill-down.
/// </summary>
public sealed class SloJudge(JourneyCatalog catalog, IKpiMetrics metrics, IKpiBoard board) : IAlertJudge
{
    public const string MinutesStore = "slo-minutes";
    public const string HoursStore = "slo-hours";

    private const int WorstSegments = 3;
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    private readonly Dictionary<string, SloSubject> _subjects = new(StringComparer.Ordinal);
    private readonly ExpiryIndex<string> _minutesExpiry = new();
    private readonly ExpiryIndex<string> _hoursExpiry = new();
    private IKeyValueStore<string, SliMinute> _minutes = null!;
    private IKeyValueStore<string, SliMinute> _hours = null!;

    /// <remarks>The hour store after the minute store: a torn flush can lose a minute from the budget but never count it twice.</remarks>
    public IReadOnlyList<StoreDefinition> Stores { get; } =
    [
        StoreDefinition.KeyValue(MinutesStore, Utf8KeySerde.Instance, StoreJson.For<SliMinute>()),
        StoreDefinition.KeyValue(HoursStore, Utf8KeySerde.Instance, StoreJson.For<SliMinute>()),
    ];

    public TimeSpan CatchUp { get; } = TimeSpan.FromDays(1);

    public void Init(IProcessorContext context)
    {
        _minutes = context.GetStateStore<IKeyValueStore<string, SliMinute>>(MinutesStore);
        _hours = context.GetStateStore<IKeyValueStore<string, SliMinute>>(HoursStore);
        Restore(_minutes, _minutesExpiry, s => s.Minutes, s => s.Slo.Alerting.History.Duration);
        Restore(_hours, _hoursExpiry, s => s.Hours, s => s.Slo.Period);
    }

    /// <summary>Every segment of the minute, and the journey-wide counts, their sum.</summary>
    public void Record(ClosedMinute minute)
    {
        foreach (var slo in minute.Journey.Slos)
        {
            var all = SliCounts.None;
            foreach (var segment in minute.Segments)
            {
                var counts = SliMeasure.Of(slo, segment.Counters);
                if (counts.Total > 0)
                {
                    Record(Subject(slo.Name, minute.Journey.Name, segment.Segment.Key)!, minute.Start, counts);
                    all = all.Plus(counts);
                }
            }

            if (all.Total > 0)
            {
                Record(Subject(slo.Name, minute.Journey.Name, SloSubject.AllSegments)!, minute.Start, all);
            }
        }
    }

    public IEnumerable<AlertVerdict> Judge(DateTimeOffset minuteEnd, bool latest, IAlertStates alerts)
    {
        var minuteStart = minuteEnd - Minute;
        foreach (var subject in _subjects.Values)
        {
            var alerting = subject.SegmentKey == SloSubject.AllSegments;
            if (!alerting && !latest)
            {
                continue;
            }

            var slo = subject.Slo;
            var evaluation = slo.Alerting.Evaluate(w => subject.Minutes.Over(w.Duration, minuteStart), slo.Objective);
            var budget = new ErrorBudget(slo.Objective, subject.Hours.Over(slo.Period, minuteStart));

            // Most urgent first: a firing page keeps a ticket from opening (its rules trip too while the page burns); a ticket already open follows its own rules.
            foreach (var severity in alerting ? Enum.GetValues<AlertSeverity>() : [])
            {
                var inhibited = severity != AlertSeverity.Page && alerts.Of(subject.Key, AlertSeverity.Page).IsFiring && !alerts.Of(subject.Key, severity).IsFiring;
                yield return new SloVerdict(this, subject, severity, evaluation.Trips(severity) && !inhibited, evaluation, budget, minuteStart);
            }

            if (latest)
            {
                metrics.SloStatus(subject.Journey.Name, subject.SegmentKey, slo.Name, evaluation.BurnRates, budget);
                if (alerting)
                {
                    board.Update(new SloStatus(subject.Journey.Name, slo.Name, slo.Objective, minuteStart, evaluation.BurnRates, budget));
                }
            }
        }
    }

    public void Expire(DateTimeOffset closedThrough)
    {
        foreach (var key in _minutesExpiry.TakeDue(closedThrough))
        {
            _minutes.Delete(key);
        }

        foreach (var key in _hoursExpiry.TakeDue(closedThrough))
        {
            _hours.Delete(key);
        }
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

    /// <remarks>
    /// Idempotent: a minute already stored was recorded before a restore (the ledgers were rebuilt
    /// from the store), so a replayed signal changes nothing.
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

    /// <summary>The segments of the subject's SLO with the most bad events over the span, for the alert's summary.</summary>
    private IEnumerable<string> WorstOf(SloSubject subject, TimeSpan span, DateTimeOffset minuteStart) =>
        _subjects.Values
            .Where(s => s.Slo == subject.Slo && s.Journey == subject.Journey && s.SegmentKey != SloSubject.AllSegments)
            .Select(s => (s.SegmentKey, Bad: s.Minutes.Over(span, minuteStart).Bad))
            .Where(s => s.Bad > 0)
            .OrderByDescending(s => s.Bad).ThenBy(s => s.SegmentKey, StringComparer.Ordinal)
            .Take(WorstSegments)
            .Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.SegmentKey} ({s.Bad} bad)"));

    private sealed record SloVerdict(SloJudge Judge, SloSubject Slo, AlertSeverity Level, bool Tripped, BurnRateEvaluation Evaluation, ErrorBudget Budget, DateTimeOffset MinuteStart)
        : AlertVerdict(Slo.Journey, Slo.Key, Level, Tripped, Slo.Slo.Alerting.ResolveAfter)
    {
        public override AlertDescription Describe(AlertTransition transition, DateTimeOffset at)
        {
            var slo = Slo.Slo;
            var journey = Slo.Journey.Name;
            var firing = transition.Status == AlertStatus.Firing;
            var firingFor = at - transition.StartedAt;
            // The span judged: the window that tripped it when it fires, since it started when it resolves.
            var span = firing ? Evaluation.Tripped.Where(r => r.Severity == transition.Severity).Max(r => r.LongWindow.Duration) : firingFor;
            var tripped = firing ? Evaluation.TrippedWindows(transition.Severity) : [];
            var summary = firing
                ? string.Create(CultureInfo.InvariantCulture, $"{transition.Severity}: {slo.Name} of {journey} burning {string.Join(", ", tripped.Select(w => $"{Evaluation.BurnRates[w]:0.#}x over {w}"))}; {Budget.Consumed * 100:0}% of the {slo.Period.TotalDays:0}-day budget spent; worst segments: {string.Join("; ", Judge.WorstOf(Slo, span, MinuteStart))}")
                : string.Create(CultureInfo.InvariantCulture, $"Resolved: {slo.Name} of {journey} after {firingFor.TotalMinutes:0} min");
            // Lost conversions are judged against the hour before the alert's own hour.
            return new AlertDescription(slo.Name, SloSubject.AllSegments, summary, slo.Runbook, new OutcomesOverSpan(span, transition.StartedAt - Hour))
            {
                BurnRates = Evaluation.BurnRates,
                TrippedWindows = tripped,
                BudgetConsumed = Budget.Consumed,
            };
        }
    }
}
