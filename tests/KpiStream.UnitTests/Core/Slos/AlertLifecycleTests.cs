using KpiStream.Core.Slos;

namespace KpiStream.UnitTests.Core.Slos;

public class AlertLifecycleTests
{
    private const string Subject = "checkout-success|checkout|region=eu";
    private static readonly TimeSpan ResolveAfter = TimeSpan.FromMinutes(5);
    private static readonly DateTimeOffset T0 = DateTimeOffset.Parse("2026-11-23T10:00:00Z");

    [Fact]
    public void Fires_on_the_first_trip_and_resolves_after_five_clear_minutes()
    {
        var transitions = Run([false, true, true, false, false, false, false, false, false, false]);

        var id = $"{Subject}|page@{T0.AddMinutes(1).ToUnixTimeMilliseconds()}";
        Assert.Equal(
            [
                new AlertTransition(id, AlertStatus.Firing, AlertSeverity.Page, T0.AddMinutes(1), null),
                // Clear from minute 3; five minutes later, at minute 8, it resolves.
                new AlertTransition(id, AlertStatus.Resolved, AlertSeverity.Page, T0.AddMinutes(1), T0.AddMinutes(8)),
            ],
            transitions);
    }

    [Fact]
    public void A_flapping_sli_stays_one_alert()
    {
        var transitions = Run([.. Enumerable.Range(0, 30).Select(m => m % 4 == 0)]);

        Assert.Equal([AlertStatus.Firing], transitions.Select(t => t.Status));
    }

    [Fact]
    public void A_new_episode_after_resolving_gets_a_new_id()
    {
        var transitions = Run([true, false, false, false, false, false, false, true]);

        Assert.Equal([AlertStatus.Firing, AlertStatus.Resolved, AlertStatus.Firing], transitions.Select(t => t.Status));
        Assert.Equal(transitions[0].AlertId, transitions[1].AlertId);
        Assert.Equal($"{Subject}|page@{T0.AddMinutes(7).ToUnixTimeMilliseconds()}", transitions[2].AlertId);
    }

    private static List<AlertTransition> Run(bool[] trippedPerMinute)
    {
        var lifecycle = AlertLifecycle.Idle;
        var transitions = new List<AlertTransition>();
        for (var minute = 0; minute < trippedPerMinute.Length; minute++)
        {
            var (next, transition) = lifecycle.Step(AlertSeverity.Page, trippedPerMinute[minute], T0.AddMinutes(minute), ResolveAfter, Subject);
            lifecycle = next;
            if (transition is not null)
            {
                transitions.Add(transition);
            }
        }

        return transitions;
    }
}
