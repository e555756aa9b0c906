using System.Globalization;
using System.Runtime.InteropServices;
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
/// Judges every SLO against its alert policy: keeps per-minute and per-hour SLI counts for the whole
/// journey, each segment (full combination) and each dimension value, and at every minute end steps
/// the alert of each severity of the journey as a whole and of each judged segment. A segment alerts
/// only on a failure of its own (enough traffic, the rest of the journey not burning too, the
/// journey-wide alert not firing), so one outage of everyone pages once; every segment's burn rates
/// and budgets are published as gauges for drill-down.
/// </summary>
public sealed class SloJudge(JourneyCatalog catalog, IKpiMetrics metrics, IKpiBoard board) : IAlertJudge
{
    public const string MinutesStore = "slo-minutes";
    public const string HoursStore = "slo-hours";

    private const int WorstSegments = 3;

    /// <summary>
    /// How close to a rule's threshold the rest of the journey may burn while a segment still pages on
    /// its own. A failure everywhere trips segments and the journey at nearly the same minute, a
    /// segment sometimes a minute first; half the threshold keeps such an outage to the one journey-wide page.
    /// </summary>
    public const double RestShareOfThreshold = 0.5;
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    private readonly Dictionary<string, SloSubject> _subjects = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Slo, string Journey), int> _judgedSegments = [];
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

    /// <summary>Every segment of the minute, the journey-wide counts (their sum) and, unless the journey turns segment alerting off, each dimension value's counts (the sum of its segments).</summary>
    public void Record(ClosedMinute minute)
    {
        var journey = minute.Journey;
        foreach (var slo in journey.Slos)
        {
            var all = SliCounts.None;
            var dimensions = new SortedDictionary<string, SliCounts>(StringComparer.Ordinal);
            foreach (var segment in minute.Segments)
            {
                var counts = SliMeasure.Of(slo, segment.Counters);
                if (counts.Total > 0)
                {
                    Record(Subject(slo.Name, journey.Name, segment.Segment.Key)!, minute.Start, counts);
                    all = all.Plus(counts);
                    // A segment of one dimension is that dimension's value already.
                    if (journey.SegmentAlerting != SegmentAlerting.Off && segment.Segment.Attributes.Count > 1)
                    {
                        foreach (var key in segment.Segment.DimensionKeys())
                        {
                            dimensions[key] = dimensions.GetValueOrDefault(key, SliCounts.None).Plus(counts);
                        }
                    }
                }
            }

            if (all.Total > 0)
            {
                Record(Subject(slo.Name, journey.Name, SloSubject.AllSegments)!, minute.Start, all);
            }

            foreach (var (key, counts) in dimensions)
            {
                Record(Subject(slo.Name, journey.Name, key)!, minute.Start, counts);
            }
        }
    }

    public IEnumerable<AlertVerdict> Judge(DateTimeOffset minuteEnd, bool latest, IAlertStates alerts)
    {
        var minuteStart = minuteEnd - Minute;
        // Journey-wide subjects first, so that a segment sees whether its journey's alert fires as of this minute.
        foreach (var subject in _subjects.Values.Where(s => s.IsJourneyWide).Concat(_subjects.Values.Where(s => !s.IsJourneyWide)))
        {
            if (!subject.Judged && !latest)
            {
                continue;
            }

            var slo = subject.Slo;
            var evaluation = slo.Alerting.Evaluate(w => subject.Minutes.Over(w.Duration, minuteStart), subject.Objective);
            var budget = new ErrorBudget(subject.Objective, subject.Hours.Over(slo.Period, minuteStart));

            // Most urgent first: a page stepped before the ticket of the same subject.
            foreach (var severity in subject.Judged ? Enum.GetValues<AlertSeverity>() : [])
            {
                var trips = evaluation.Trips(severity) && !Inhibited(subject, severity, alerts);
                if (trips && !subject.IsJourneyWide)
                {
                    var rules = evaluation.Tripped.Where(r => r.Severity == severity && AboveTrafficFloor(subject, r, minuteStart)).ToList();
                    if (rules.Count == 0)
                    {
                        metrics.SegmentBelowTrafficFloor(subject.Journey.Name, slo.Name);
                    }

                    // The rest of the journey burning too keeps a segment from opening an alert, not an open one from firing:
                    // a region that paged first still fails when everyone else starts to, and annotates that incident.
                    trips = alerts.Of(subject.Key, severity).IsFiring ? rules.Count > 0 : rules.Any(r => !RestBurns(subject, r, minuteStart));
                }

                yield return new SloVerdict(this, subject, severity, trips, evaluation, budget, minuteStart);
            }

            if (latest)
            {
                metrics.SloStatus(subject.Journey.Name, subject.SegmentKey, slo.Name, evaluation.BurnRates, budget);
                if (subject.IsJourneyWide)
                {
                    board.Update(new SloStatus(subject.Journey.Name, slo.Name, slo.Objective, minuteStart, evaluation.BurnRates, budget));
                }
            }
        }
    }

    public void Expire(DateTimeOffset closedThrough)
    {
        // A segment quiet for its whole history is forgotten, ledgers and all, and its place among the judged segments freed;
        // it starts afresh if it comes back (its budget then counts from its return). Its stored minutes expire by then too;
        // its stored hours go with it, or a restart would bring back the budget it came back without.
        foreach (var quiet in _subjects.Values.Where(s => !s.IsJourneyWide && (s.Minutes.Newest is not { } newest || newest + s.Slo.Alerting.History.Duration <= closedThrough)).ToList())
        {
            _subjects.Remove(quiet.Key);
            if (quiet.Hours.Newest is { } newestHour)
            {
                for (var hour = newestHour; hour > newestHour - quiet.Slo.Period; hour -= Hour)
                {
                    var hourKey = $"{quiet.Key}|{hour.ToUnixTimeMilliseconds()}";
                    if (_hours.TryGet(hourKey, out _))
                    {
                        _hours.Delete(hourKey);
                    }
                }
            }

            if (quiet.Judged)
            {
                _judgedSegments[(quiet.Slo.Name, quiet.Journey.Name)]--;
            }
        }

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

    /// <summary>
    /// Whether an alert that does not fire yet must not open: a ticket while the same subject pages
    /// (its rules trip too while the page burns), and a segment's alert while its journey's alert
    /// fires as a whole (which names the worst segments). An alert already open follows its own rules.
    /// </summary>
    private static bool Inhibited(SloSubject subject, AlertSeverity severity, IAlertStates alerts)
    {
        if (alerts.Of(subject.Key, severity).IsFiring)
        {
            return false;
        }

        if (severity != AlertSeverity.Page && alerts.Of(subject.Key, AlertSeverity.Page).IsFiring)
        {
            return true;
        }

        return !subject.IsJourneyWide && (alerts.Of(subject.JourneyWideKey, severity).IsFiring || alerts.Of(subject.JourneyWideKey, AlertSeverity.Page).IsFiring);
    }

    /// <summary>Whether the segment saw at least its journey's segment traffic floor in the rule's long window.</summary>
    private static bool AboveTrafficFloor(SloSubject segment, MultiWindowRule rule, DateTimeOffset minuteStart) =>
        segment.Minutes.Over(rule.LongWindow.Duration, minuteStart).Total >= segment.Journey.SegmentTrafficFloor;

    /// <summary>
    /// Whether the rest of the journey (all of it but the segment) burns at least
    /// <see cref="RestShareOfThreshold"/> of the rule's threshold too: then the failure is not the
    /// segment's own, and the journey-wide alert, not one per segment, is the one to page.
    /// </summary>
    private bool RestBurns(SloSubject segment, MultiWindowRule rule, DateTimeOffset minuteStart)
    {
        if (!_subjects.TryGetValue(segment.JourneyWideKey, out var journeyWide))
        {
            return false;
        }

        return rule.BurnsAtLeast(w => journeyWide.Minutes.Over(w.Duration, minuteStart).Minus(segment.Minutes.Over(w.Duration, minuteStart)), segment.Slo.Objective, RestShareOfThreshold);
    }

    /// <summary>
    /// The subject of an SLO of a configured journey, created on first sight; null when the
    /// configuration no longer has it. A segment is judged if its journey says so and fewer than
    /// <see cref="JourneySpec.MaxJudgedSegments"/> of the SLO's segments are judged already.
    /// </summary>
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

        var judged = segmentKey == SloSubject.AllSegments;
        if (!judged && journey.JudgesSegment(segmentKey))
        {
            ref var count = ref CollectionsMarshal.GetValueRefOrAddDefault(_judgedSegments, (sloName, journeyName), out _);
            judged = count < JourneySpec.MaxJudgedSegments;
            if (judged)
            {
                count++;
            }
            else
            {
                metrics.SegmentNotJudged(journeyName, sloName);
            }
        }

        subject = new SloSubject(journey, slo, segmentKey) { Judged = judged };
        _subjects[key] = subject;
        return subject;
    }

    /// <summary>The segments of the subject's SLO with the most bad events over the span, for the alert's summary.</summary>
    private IEnumerable<string> WorstOf(SloSubject subject, TimeSpan span, DateTimeOffset minuteStart) =>
        _subjects.Values
            .Where(s => s.Slo == subject.Slo && s.Journey == subject.Journey && s.IsCombination)
            .Select(s => (s.SegmentKey, Bad: s.Minutes.Over(span, minuteStart).Bad))
            .Where(s => s.Bad > 0)
            .OrderByDescending(s => s.Bad).ThenBy(s => s.SegmentKey, StringComparer.Ordinal)
            .Take(WorstSegments)
            .Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.SegmentKey} ({s.Bad} bad)"));

    /// <summary>
    /// When what tripped <paramref name="rules"/> began: the first minute of the run of minutes, ending
    /// with the judged one, in which every minute with traffic burned at a tripped rule's rate (minutes
    /// without traffic do not break it). A stray bad minute before the run is noise, not the onset.
    /// </summary>
    private static DateTimeOffset? OnsetOf(SloSubject subject, IEnumerable<MultiWindowRule> rules, DateTimeOffset minuteStart)
    {
        DateTimeOffset? onset = null;
        foreach (var rule in rules)
        {
            var rate = rule.BurnRateThreshold * (1 - subject.Objective);
            for (var minute = minuteStart; minute > minuteStart - rule.LongWindow.Duration; minute -= Minute)
            {
                var counts = subject.Minutes.Over(Minute, minute);
                if (counts.Total == 0)
                {
                    continue;
                }

                if (counts.ErrorRate < rate)
                {
                    break;
                }

                onset = onset is { } earlier && earlier < minute ? earlier : minute;
            }
        }

        return onset;
    }

    /// <summary>The segment's share of its journey's SLI events over the span before the minute, 0 to 1.</summary>
    private double ShareOf(SloSubject segment, TimeSpan span, DateTimeOffset minuteStart)
    {
        var total = _subjects.GetValueOrDefault(segment.JourneyWideKey)?.Minutes.Over(span, minuteStart).Total ?? 0;
        return total == 0 ? 0 : Math.Min(1, (double)segment.Minutes.Over(span, minuteStart).Total / total);
    }

    private sealed record SloVerdict(SloJudge Judge, SloSubject Slo, AlertSeverity Level, bool Tripped, BurnRateEvaluation Evaluation, ErrorBudget Budget, DateTimeOffset MinuteStart)
        : AlertVerdict(Slo.Journey, Slo.Key, Level, Tripped, Slo.Slo.Alerting.ResolveAfter)
    {
        public override DateTimeOffset? Onset => OnsetOf(Slo, Evaluation.Tripped.Where(r => r.Severity == Level), MinuteStart);

        public override AlertDescription Describe(AlertTransition transition, DateTimeOffset at)
        {
            var slo = Slo.Slo;
            var journey = Slo.Journey.Name;
            var firing = transition.Status == AlertStatus.Firing;
            var firingFor = at - transition.StartedAt;
            // The span judged: the window that tripped it when it fires, since it started when it resolves.
            var span = firing ? Evaluation.Tripped.Where(r => r.Severity == transition.Severity).Max(r => r.LongWindow.Duration) : firingFor;
            var tripped = firing ? Evaluation.TrippedWindows(transition.Severity) : [];
            var where = Slo.IsJourneyWide ? "" : $" in {Slo.SegmentKey}";
            var ownObjective = Slo.Objective == slo.Objective ? "" : string.Create(CultureInfo.InvariantCulture, $" (objective {Slo.Objective * 100:0.###}%)");
            var share = Slo.IsJourneyWide ? 1 : Judge.ShareOf(Slo, span, MinuteStart);
            var summary = firing
                ? string.Create(CultureInfo.InvariantCulture, $"{transition.Severity}: {slo.Name} of {journey}{where}{ownObjective} burning {string.Join(", ", tripped.Select(w => $"{Evaluation.BurnRates[w]:0.#}x over {w}"))}; {Budget.Consumed * 100:0}% of the {slo.Period.TotalDays:0}-day budget spent; ")
                    + (Slo.IsJourneyWide ? $"worst segments: {string.Join("; ", Judge.WorstOf(Slo, span, MinuteStart))}" : string.Create(CultureInfo.InvariantCulture, $"{share * 100:0.#}% of the journey's traffic"))
                : string.Create(CultureInfo.InvariantCulture, $"Resolved: {slo.Name} of {journey}{where} after {firingFor.TotalMinutes:0} min");
            // Lost conversions are judged against the hour before the onset, which the fault had not reached yet (without one, the
            // hour before the alert's own hour); a segment's are its share of the journey's.
            var outcomes = new OutcomesOverSpan(span, transition.Onset ?? transition.StartedAt - Hour);
            ImpactBasis impact = Slo.IsJourneyWide ? outcomes : new ShareOfOutcomes(outcomes, share, Slo.Criticality);
            return new AlertDescription(slo.Name, Slo.SegmentKey, summary, slo.Runbook, impact)
            {
                BurnRates = Evaluation.BurnRates,
                TrippedWindows = tripped,
                BudgetConsumed = Budget.Consumed,
            };
        }
    }
}
