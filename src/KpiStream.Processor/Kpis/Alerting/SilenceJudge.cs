using System.Globalization;
using KpiStream.Core.Journeys;
using KpiStream.Core.Slos;
using KpiStream.Processor.Kpis.State;
using KpiStream.Streaming.Processors;
using KpiStream.Streaming.Stores;

namespace KpiStream.Processor.Kpis.Alerting;

/// <summary>
/// Watches for silent failures: counts each journey's events per closed minute and pages when a
/// journey that normally has traffic went quiet against its own recent baseline
/// (<see cref="SilenceRule"/>). No SLO burns when no events arrive, so this is the alert for a
/// broken client or a dropped pipeline.
/// </summary>
public sealed class SilenceJudge(JourneyCatalog catalog, SilenceRule rule) : IAlertJudge
{
    /// <summary>The <c>slo</c> of silence alerts on kpi.alerts.</summary>
    public const string AlertName = "silence";
    public const string ActivityStore = "silence-activity";

    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan ResolveWhenBackFor = TimeSpan.FromMinutes(5);

    private readonly Dictionary<string, SliLedger> _activity = new(StringComparer.Ordinal);
    private readonly ExpiryIndex<string> _expiry = new();
    private IKeyValueStore<string, SliMinute> _store = null!;

    public IReadOnlyList<StoreDefinition> Stores { get; } = [StoreDefinition.KeyValue(ActivityStore, Utf8KeySerde.Instance, StoreJson.For<SliMinute>())];

    public TimeSpan CatchUp => rule.Baseline + rule.Quiet;

    public void Init(IProcessorContext context)
    {
        _store = context.GetStateStore<IKeyValueStore<string, SliMinute>>(ActivityStore);
        foreach (var (key, minute) in _store.All().OrderBy(e => e.Value.StepStartMs))
        {
            var start = DateTimeOffset.FromUnixTimeMilliseconds(minute.StepStartMs);
            Ledger(minute.Journey).Add(start, new SliCounts(minute.Good, minute.Total));
            _expiry.Add(key, start + CatchUp);
        }
    }

    /// <remarks>Idempotent: a minute already stored was recorded before a restore, so a replayed signal changes nothing.</remarks>
    public void Record(ClosedMinute minute)
    {
        var (journey, start) = (minute.Journey.Name, minute.Start);
        var events = minute.Total.Attempts + minute.Total.Successes + minute.Total.Failures;
        var key = $"{journey}|{start.ToUnixTimeMilliseconds()}";
        if (events == 0 || _store.TryGet(key, out _) || Ledger(journey).Newest > start)
        {
            return;
        }

        Ledger(journey).Add(start, new SliCounts(events, events));
        _store.Put(key, new SliMinute(AlertName, journey, SloSubject.AllSegments, start.ToUnixTimeMilliseconds(), events, events));
        _expiry.Add(key, start + CatchUp);
    }

    public IEnumerable<AlertVerdict> Judge(DateTimeOffset minuteEnd, bool latest, IAlertStates alerts)
    {
        foreach (var journey in catalog.Journeys)
        {
            var ledger = _activity.GetValueOrDefault(journey.Name);
            var silent = ledger is not null && rule.IsSilent((from, to) => CountBetween(ledger, from, to), minuteEnd);
            yield return new SilenceVerdict(journey, rule, ledger, silent);
        }
    }

    public void Expire(DateTimeOffset closedThrough)
    {
        foreach (var key in _expiry.TakeDue(closedThrough))
        {
            _store.Delete(key);
        }
    }

    private static long CountBetween(SliLedger? ledger, DateTimeOffset from, DateTimeOffset to) => ledger?.Over(to - from, to - Minute).Total ?? 0;

    private SliLedger Ledger(string journey)
    {
        if (!_activity.TryGetValue(journey, out var ledger))
        {
            ledger = new SliLedger(Minute, (int)CatchUp.TotalMinutes);
            _activity[journey] = ledger;
        }

        return ledger;
    }

    private sealed record SilenceVerdict(JourneySpec Spec, SilenceRule Rule, SliLedger? Ledger, bool Silent)
        : AlertVerdict(Spec, $"{AlertName}|{Spec.Name}|{SloSubject.AllSegments}", AlertSeverity.Page, Silent, ResolveWhenBackFor)
    {
        public override AlertDescription Describe(AlertTransition transition, DateTimeOffset at)
        {
            var quietFrom = transition.StartedAt - Rule.Quiet;
            var expected = (long)Math.Round(CountBetween(Ledger, quietFrom - Rule.Baseline, quietFrom) / Rule.Baseline.TotalMinutes * Rule.Quiet.TotalMinutes);
            var seen = CountBetween(Ledger, quietFrom, transition.StartedAt);
            var summary = transition.Status == AlertStatus.Firing
                ? string.Create(CultureInfo.InvariantCulture, $"Page: {Journey.Name} went quiet: {seen} events in the last {Rule.Quiet.TotalMinutes:0} min against {expected} expected from the hour before")
                : string.Create(CultureInfo.InvariantCulture, $"Resolved: {Journey.Name} traffic is back after {(at - transition.StartedAt).TotalMinutes:0} min");
            return new AlertDescription(AlertName, SloSubject.AllSegments, summary, null, new MissingSessions(Math.Max(0, expected - seen)));
        }
    }
}
