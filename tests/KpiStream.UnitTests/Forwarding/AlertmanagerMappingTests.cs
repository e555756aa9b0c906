using System.Collections.Immutable;
using KpiStream.Core.Slos;
using KpiStream.Processor.Forwarding;

namespace KpiStream.UnitTests.Forwarding;

public class AlertmanagerMappingTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-12-02T12:00:00Z");

    [Fact]
    public void A_firing_alert_keeps_its_labels_for_life_and_expires_four_resend_intervals_ahead()
    {
        var alert = Page(startedAt: Now.AddMinutes(-7)) with { Deploys = ["d-1", "d-2"], Annotation = true };

        var sent = AlertmanagerMapping.For(alert, Now, TimeSpan.FromMinutes(1));

        Assert.Equal(
            new Dictionary<string, string>
            {
                ["alertname"] = "checkout-success",
                ["incident"] = "checkout@1",
                ["journey"] = "checkout",
                ["owner"] = "team-payments",
                ["segment"] = "region=sa-east",
                ["severity"] = "page",
                ["slo"] = "checkout-success",
            },
            sent.Labels);
        Assert.Equal((Now.AddMinutes(-7), Now.AddMinutes(4)), (sent.StartsAt, sent.EndsAt));
        Assert.Equal("5m=100x 1h=15.2x 6h=2.5x", sent.Annotations["burn_rates"]);
        Assert.Equal(("180", "4200", "9.13", "https://runbooks.example.com/checkout"), (sent.Annotations["affected_sessions"], sent.Annotations["revenue_at_risk_minor"], sent.Annotations["impact_score"], sent.Annotations["runbook_url"]));
        Assert.Equal(("d-1 d-2", "true", "Page: checkout-success of checkout in region=sa-east", alert.AlertId), (sent.Annotations["deploys"], sent.Annotations["annotation_of_incident"], sent.Annotations["summary"], sent.Annotations["alert_id"]));

        // Resolved, the same labels: Alertmanager resolves the alert it holds rather than adding one.
        var resolved = AlertmanagerMapping.For(alert with { Status = AlertStatus.Resolved, EndedAt = Now.AddMinutes(-1) }, Now, TimeSpan.FromMinutes(1));
        Assert.Equal(sent.Labels, resolved.Labels);
        Assert.Equal((Now.AddMinutes(-7), Now.AddMinutes(-1)), (resolved.StartsAt, resolved.EndsAt));
    }

    [Fact]
    public void Event_time_ahead_of_the_wall_clock_is_taken_as_now()
    {
        // A replay or the sped-up demo: the alert started and ended ahead of the clock Alertmanager keeps.
        var ahead = Page(startedAt: Now.AddHours(2));

        Assert.Equal((Now, Now.AddSeconds(40)), (AlertmanagerMapping.For(ahead, Now, TimeSpan.FromSeconds(10)).StartsAt, AlertmanagerMapping.For(ahead, Now, TimeSpan.FromSeconds(10)).EndsAt));
        var resolved = AlertmanagerMapping.For(ahead with { Status = AlertStatus.Resolved, EndedAt = Now.AddHours(3) }, Now, TimeSpan.FromSeconds(10));
        Assert.Equal((Now, Now), (resolved.StartsAt, resolved.EndsAt));
    }

    [Fact]
    public void Resolutions_are_owed_to_each_alertmanager_until_it_takes_them_and_the_oldest_go_beyond_the_bound()
    {
        Uri a = new("http://am-a:9093/"), b = new("http://am-b:9093/");
        var alerts = new ForwardedAlerts([a, b], maxPendingResolutions: 2);
        var first = Page(Now) with { AlertId = "first" };
        alerts.Observe(first, deliver: true);
        Assert.Equal(["first"], alerts.Owed(a).Select(x => x.AlertId));

        // Read while catching up, a resolution of long ago is not owed; a firing alert always is, until it resolves.
        Assert.Equal(0, alerts.Observe(first with { Status = AlertStatus.Resolved }, deliver: false));
        Assert.Empty(alerts.Owed(a));

        for (var i = 0; i < 3; i++)
        {
            alerts.Observe(Page(Now) with { AlertId = $"r{i}", Status = AlertStatus.Resolved }, deliver: true);
        }

        Assert.Equal(["r1", "r2"], alerts.Owed(a).Select(x => x.AlertId));
        alerts.Delivered(a, alerts.Owed(a));
        Assert.Empty(alerts.Owed(a));
        Assert.Equal(["r1", "r2"], alerts.Owed(b).Select(x => x.AlertId));
        Assert.Equal((0, 2), (alerts.Firing, alerts.Pending));
    }

    private static SloAlert Page(DateTimeOffset startedAt) => new(
        $"checkout-success|checkout|region=sa-east|page@{startedAt.ToUnixTimeMilliseconds()}",
        AlertStatus.Firing,
        AlertSeverity.Page,
        "checkout",
        "region=sa-east",
        "checkout-success",
        ImmutableSortedDictionary<string, double>.Empty.Add("1h", 15.24).Add("5m", 100).Add("6h", 2.5),
        ["5m", "1h"],
        0.4,
        startedAt,
        null,
        "team-payments",
        new Uri("https://runbooks.example.com/checkout"),
        new CustomerImpact(180, 4_200, 9.125),
        [],
        "Page: checkout-success of checkout in region=sa-east")
    {
        IncidentId = "checkout@1",
    };
}
