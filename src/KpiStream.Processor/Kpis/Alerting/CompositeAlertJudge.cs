using System.Globalization;
using KpiStream.Core.Composites;
using KpiStream.Core.Journeys;
using KpiStream.Core.Kpis;
using KpiStream.Core.Slos;
using KpiStream.Processor.Kpis.State;
using KpiStream.Streaming.Processors;
using KpiStream.Streaming.Stores;

namespace KpiStream.Processor.Kpis.Alerting;

/// <summary>
/// Judges the composite alerts declared on journeys: keeps each such journey's counters per closed
/// minute (all segments summed) for as long as its rules look back, and judges every rule at every
/// minute end from the stored minutes only, so replays change nothing.
/// </summary>
public sealed class CompositeAlertJudge(JourneyCatalog catalog) : IAlertJudge
{
    public const string MinutesStore = "composite-minutes";

    // A firing rule compares against the minutes before it started, so they are kept for as long as an alert may fire.
    private static readonly TimeSpan PinnedBaseline = TimeSpan.FromHours(1);

    // Sessions affected while firing are counted over at most this much of the alert's duration.
    private static readonly TimeSpan MaxImpactSpan = TimeSpan.FromHours(6);

    private readonly Dictionary<string, MinuteHistory> _history = new(StringComparer.Ordinal);
    private readonly ExpiryIndex<string> _expiry = new();
    private IKeyValueStore<string, JourneyMinute> _minutes = null!;

    public IReadOnlyList<StoreDefinition> Stores { get; } = [StoreDefinition.KeyValue(MinutesStore, Utf8KeySerde.Instance, StoreJson.For<JourneyMinute>())];

    // The catalog does not change: worked out once, not at every minute end the stage walks.
    public TimeSpan CatchUp { get; } = catalog.Journeys.Max(Retention);

    /// <summary>The journeys with composite alerts; the others keep no history here.</summary>
    private IEnumerable<JourneySpec> Judged => catalog.Journeys.Where(j => j.CompositeAlerts.Length > 0);

    public void Init(IProcessorContext context)
    {
        _minutes = context.GetStateStore<IKeyValueStore<string, JourneyMinute>>(MinutesStore);
        foreach (var (key, minute) in _minutes.All())
        {
            if (catalog.Find(minute.Journey) is { } journey)
            {
                History(journey.Name).Add(minute.Start, minute.Counters);
                _expiry.Add(key, minute.Start + Retention(journey));
            }
        }
    }

    /// <remarks>Idempotent: a minute already held was recorded before a restore.</remarks>
    public void Record(ClosedMinute minute)
    {
        var journey = minute.Journey;
        if (journey.CompositeAlerts.Length == 0 || !History(journey.Name).Add(minute.Start, minute.Total))
        {
            return;
        }

        var key = $"{journey.Name}|{minute.Start.ToUnixTimeMilliseconds()}";
        _minutes.Put(key, new JourneyMinute(journey.Name, minute.Start, minute.Total));
        _expiry.Add(key, minute.Start + Retention(journey));
    }

    public IEnumerable<AlertVerdict> Judge(DateTimeOffset minuteEnd, bool latest, IAlertStates alerts)
    {
        foreach (var journey in Judged)
        {
            var history = History(journey.Name);
            foreach (var rule in journey.CompositeAlerts)
            {
                var subject = $"{rule.Name}|{journey.Name}|{SloSubject.AllSegments}";
                var current = alerts.Of(subject, rule.Severity);
                var judgement = rule.Judge(history.Sum, minuteEnd, current.IsFiring ? current.StartedAt : null);
                yield return new CompositeVerdict(journey, subject, rule, judgement);
            }
        }
    }

    public void Expire(DateTimeOffset closedThrough)
    {
        foreach (var key in _expiry.TakeDue(closedThrough))
        {
            if (_minutes.Get(key) is { } minute)
            {
                History(minute.Journey).Forget(minute.Start);
                _minutes.Delete(key);
            }
        }
    }

    /// <summary>
    /// How long a journey's minutes are kept: its longest rule lookback, and the baseline a rule
    /// firing for up to <see cref="MaxImpactSpan"/> still compares with. A journey whose rules were
    /// removed from the configuration still lets the minutes restored for it expire.
    /// </summary>
    private static TimeSpan Retention(JourneySpec journey) =>
        journey.CompositeAlerts.Select(r => r.Lookback).DefaultIfEmpty(TimeSpan.Zero).Max() + PinnedBaseline + MaxImpactSpan;

    private MinuteHistory History(string journey)
    {
        if (!_history.TryGetValue(journey, out var history))
        {
            history = new MinuteHistory();
            _history[journey] = history;
        }

        return history;
    }

    private sealed record CompositeVerdict(JourneySpec Spec, string About, CompositeRule Rule, CompositeJudgement Judgement)
        : AlertVerdict(Spec, About, Rule.Severity, Judgement.Trips, Rule.ResolveAfter)
    {
        public override AlertDescription Describe(AlertTransition transition, DateTimeOffset at)
        {
            var firingFor = at - transition.StartedAt;
            var firing = transition.Status == AlertStatus.Firing;
            var summary = firing
                ? $"{Rule.Severity}: {Rule.Name} of {Journey.Name}: {string.Join("; ", Judgement.Readings)}"
                : string.Create(CultureInfo.InvariantCulture, $"Resolved: {Rule.Name} of {Journey.Name} after {firingFor.TotalMinutes:0} min");
            // Lost conversions are judged against the hour before the minutes that tripped it.
            var impact = new OutcomesOverSpan(firing ? Rule.Span : Min(firingFor, MaxImpactSpan), transition.StartedAt - Rule.Span);
            return new AlertDescription(Rule.Name, SloSubject.AllSegments, summary, Rule.Runbook, impact)
            {
                TrippedWindows = firing ? [.. Rule.When.Select(c => c.ToString())] : [],
            };
        }

        private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
    }
}
