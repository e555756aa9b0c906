using KpiStream.Core.Slos;

namespace KpiStream.UnitTests.Core.Slos;

public class AlertLifecycleTests
{
    private const string Subject = "checkout-success/checkout/region=eu";
    private static readonly TimeSpan ResolveAfter = TimeSpan.FromMinutes(5);
    private static readonly DateTimeOffset T0 = DateTimeOffset.Parse("2026-11-23T10:00:00Z");

    [Fact]
    public void Fires_on_the_first_trip_escalates_and_resolves_after_five_clear_minutes()
    {
        var trips = new AlertSeverity?[] { null, AlertSeverity.Ticket, AlertSeverity.Page, AlertSeverity.Ticket, null, null, null, null, null, null };
        var transitions = Run(trips);

        var id = $"{Subject}@{(T0 + TimeSpan.FromMinutes(1)).ToUnixTimeMilliseconds()}";
        Assert.Equal(
            [
                new AlertTransition(id, AlertStatus.Firing, AlertSeverity.Ticket, T0.AddMinutes(1), null),
                new AlertTransition(id, AlertStatus.Firing, AlertSeverity.Page, T0.AddMinutes(1), null),
                // Clear from minute 4; five minutes later, at minute 9, it resolves at the severity it reached.
                new AlertTransition(id, AlertStatus.Resolved, AlertSeverity.Page, T0.AddMinutes(1), T0.AddMinutes(9)),
            ],
            transitions);
    }

    [Fact]
    public void A_flapping_sli_stays_one_alert()
    {
        var trips = Enumerable.Range(0, 30).Select(m => m % 4 == 0 ? AlertSeverity.Page : (AlertSeverity?)null).ToArray();
        var transitions = Run(trips);

        Assert.Equal([AlertStatus.Firing], transitions.Select(t => t.Status));
    }

    [Fact]
    public void A_new_episode_after_resolving_gets_a_new_id()
    {
        var trips = new AlertSeverity?[] { AlertSeverity.Page, null, null, null, null, null, null, AlertSeverity.Page };
        var transitions = Run(trips);

        Assert.Equal([AlertStatus.Firing, AlertStatus.Resolved, AlertStatus.Firing], transitions.Select(t => t.Status));
        Assert.Equal(transitions[0].AlertId, transitions[1].AlertId);
        Assert.Equal($"{Subject}@{T0.AddMinutes(7).ToUnixTimeMilliseconds()}", transitions[2].AlertId);
    }

    private static List<AlertTransition> Run(IEnumerable<AlertSeverity?> tripsPerMinute)
    {
        var lifecycle = AlertLifecycle.Idle;
        var transitions = new List<AlertTransition>();
        var minute = 0;
        foreach (var tripped in tripsPerMinute)
        {
            var (next, transition) = lifecycle.Step(tripped, T0.AddMinutes(minute++), ResolveAfter, Subject);
            lifecycle = next;
            if (transition is not null)
            {
                transitions.Add(transition);
            }
        }

        return transitions;
    }
}
