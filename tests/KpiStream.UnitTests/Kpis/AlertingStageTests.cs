using KpiStream.Core.Events;
using KpiStream.Core.Journeys;
using KpiStream.Core.Slos;
using KpiStream.Processor.Kpis.Alerting;
using KpiStream.Processor.Kpis.State;
using KpiStream.Streaming.Processors;
using KpiStream.Streaming.Stores;
using KpiStream.TestSupport;

namespace KpiStream.UnitTests.Kpis;

/// <summary>
/// The alerting stage with a kind of alert the product does not have, written here as one class:
/// everything an alert has besides its rule (lifecycle, impact, deploys, emission, replay safety)
/// comes from the stage.
/// </summary>
public sealed class AlertingStageTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.Parse("2026-11-23T00:00:00Z");

    [Fact]
    public void A_judge_written_as_one_class_gets_lifecycle_impact_deploys_and_replay_safety_from_the_stage()
    {
        // 20 checkouts a minute at 10.00 EUR for 75 minutes; every one of minutes 65 and 66 fails.
        using var harness = new KpiTopologyHarness(T0.AddHours(2), alertJudges: () => [new AnyFailureJudge()]);
        harness.PipeDeployment(new DeploymentMarker("d-1", "checkout-api", "v2", T0.AddMinutes(60), null, "ci", null));
        for (var minute = 0; minute < 75; minute++)
        {
            var failing = minute is 65 or 66;
            for (var i = 0; i < 20; i++)
            {
                harness.Pipe(Events.Of($"b{minute}-{i}", "checkout_started", "checkout", $"s{minute}-{i}", T0.AddMinutes(minute).AddSeconds(1 + i)));
                harness.Pipe(failing
                    ? Events.Of($"e{minute}-{i}", "checkout_failed", "checkout", $"s{minute}-{i}", T0.AddMinutes(minute).AddSeconds(25 + i))
                    : Events.Of($"e{minute}-{i}", "checkout_completed", "checkout", $"s{minute}-{i}", T0.AddMinutes(minute).AddSeconds(25 + i), amount: 1_000, currency: "EUR"));
            }

            if (minute % 10 == 0)
            {
                harness.Commit();
            }
        }

        harness.AdvanceAllPartitions(T0.AddMinutes(76));
        var alerts = harness.Alerts().Where(a => a.Slo == AnyFailureJudge.Name).ToList();

        // Judged at the end of minute 65 (T0+66) first; minute 67 is clear, so clear since T0+68, resolved two minutes later.
        var id = $"{AnyFailureJudge.Name}|checkout|*|ticket@{T0.AddMinutes(66).ToUnixTimeMilliseconds()}";
        Assert.Equal([(id, AlertStatus.Firing), (id, AlertStatus.Resolved)], alerts.Select(a => (a.AlertId, a.Status)));
        var firing = alerts[0];
        Assert.Equal((AlertSeverity.Ticket, "checkout", "*", "team-payments", "checkout failed in the minute before"), (firing.Severity, firing.Journey, firing.SegmentKey, firing.Owner, firing.Summary));
        // Over its one-minute span: 20 checkouts, none converted; the baseline hour (minutes 0 to 5 here, the hour ending
        // an hour before the start) converted all at 10.00 EUR: 20 lost, 200.00 EUR at risk.
        Assert.Equal((20L, 20_000L), (firing.Impact.AffectedSessions, firing.Impact.RevenueAtRiskMinor));
        Assert.Equal(["d-1"], firing.Deploys.ToArray());
        Assert.Equal((T0.AddMinutes(66), (DateTimeOffset?)T0.AddMinutes(70)), (alerts[1].StartedAt, alerts[1].EndedAt));

        // Partials and signals delivered again change nothing: the judge's store and the stage's progress survive.
        harness.ReplayRepartition();
        harness.AdvanceAllPartitions(T0.AddMinutes(77));
        Assert.Equal(2, harness.Alerts().Count(a => a.Slo == AnyFailureJudge.Name));
    }

    /// <summary>A ticket while checkout's last closed minute had any failure: the whole of a new alert kind.</summary>
    private sealed class AnyFailureJudge : IAlertJudge
    {
        public const string Name = "any-failure";
        private const string Store = "test-any-failure-minutes";
        private readonly Dictionary<DateTimeOffset, long> _failures = [];
        private IKeyValueStore<string, long> _store = null!;

        public IReadOnlyList<StoreDefinition> Stores { get; } = [StoreDefinition.KeyValue(Store, Utf8KeySerde.Instance, StoreJson.For<long>())];

        public TimeSpan CatchUp => TimeSpan.FromHours(1);

        public void Init(IProcessorContext context)
        {
            _store = context.GetStateStore<IKeyValueStore<string, long>>(Store);
            foreach (var (key, failures) in _store.All())
            {
                _failures[DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(key, System.Globalization.CultureInfo.InvariantCulture))] = failures;
            }
        }

        public void Record(ClosedMinute minute)
        {
            if (minute.Journey.Name == "checkout" && _failures.TryAdd(minute.Start, minute.Total.Failures))
            {
                _store.Put(minute.Start.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture), minute.Total.Failures);
            }
        }

        public IEnumerable<AlertVerdict> Judge(DateTimeOffset minuteEnd, bool latest, IAlertStates alerts)
        {
            var checkout = SampleJourneys.Catalog.Find("checkout")!;
            yield return new Verdict(checkout, _failures.GetValueOrDefault(minuteEnd - TimeSpan.FromMinutes(1)) > 0);
        }

        public void Expire(DateTimeOffset closedThrough)
        {
        }

        private sealed record Verdict(JourneySpec Checkout, bool Failed)
            : AlertVerdict(Checkout, $"{Name}|checkout|*", AlertSeverity.Ticket, Failed, TimeSpan.FromMinutes(2))
        {
            public override AlertDescription Describe(AlertTransition transition, DateTimeOffset at) =>
                new(Name, "*", "checkout failed in the minute before", null, new OutcomesOverSpan(TimeSpan.FromMinutes(1), transition.StartedAt - TimeSpan.FromHours(1)));
        }
    }
}
