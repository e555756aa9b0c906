using System.Collections.Immutable;
using KpiStream.Core.Incidents;
using KpiStream.Core.Slos;

namespace KpiStream.UnitTests.Core.Slos;

public class IncidentTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.Parse("2026-11-23T12:00:00Z");

    [Fact]
    public void Alerts_that_overlap_form_one_incident_whose_segment_alerts_annotate_the_journey_wide_one_while_it_fires()
    {
        var segment = Alert("checkout-success", "region=sa-east", AlertSeverity.Page, T0, delay: TimeSpan.FromMinutes(4));
        var incident = Incident.Open(segment);
        Assert.Equal(($"checkout@{T0.ToUnixTimeMilliseconds()}", IncidentState.Open, "payments"), (incident.IncidentId, incident.State, incident.Owner));
        Assert.False(incident.Annotates(segment.AlertId));

        // A journey-wide ticket does not make the region's page an annotation; it makes a segment's ticket one.
        var journeyTicket = Alert("checkout-success", "*", AlertSeverity.Ticket, T0.AddMinutes(5));
        var segmentTicket = Alert("checkout-latency", "device=ios", AlertSeverity.Ticket, T0.AddMinutes(6));
        var withTickets = incident.With(journeyTicket, T0.AddMinutes(5)).With(segmentTicket, T0.AddMinutes(6));
        Assert.Equal((false, true), (withTickets.Annotates(segment.AlertId), withTickets.Annotates(segmentTicket.AlertId)));

        var journeyWide = Alert("checkout-success", "*", AlertSeverity.Page, T0.AddMinutes(10), delay: TimeSpan.FromMinutes(12));
        incident = incident.With(journeyWide, T0.AddMinutes(10));
        Assert.True(incident.Annotates(segment.AlertId));
        Assert.False(incident.Annotates(journeyWide.AlertId));
        // Onsets: the segment's at T0 - 4 min, the journey-wide alert's at T0 + 10 - 12 = T0 - 2 min; the earliest counts.
        Assert.Equal(TimeSpan.FromMinutes(4), incident.DetectionDelay);

        // Resolutions carry no detection delay (only a FIRING record does); the incident keeps its alerts' onsets.
        incident = incident.With(journeyWide with { Status = AlertStatus.Resolved, EndedAt = T0.AddMinutes(30), DetectionDelay = null }, T0.AddMinutes(30));
        Assert.Equal(IncidentState.Open, incident.State);
        Assert.False(incident.Annotates(segment.AlertId));

        incident = incident.With(segment with { Status = AlertStatus.Resolved, EndedAt = T0.AddMinutes(40), DetectionDelay = null }, T0.AddMinutes(40));
        Assert.Equal((IncidentState.Closed, T0.AddMinutes(40)), (incident.State, incident.ClosedAt));
        Assert.Equal(TimeSpan.FromMinutes(4), incident.DetectionDelay);
        Assert.Equal([segment.AlertId, journeyWide.AlertId], incident.Members.Select(m => m.AlertId));
        Assert.Equal("Page: incident of checkout, closed after 40 min: checkout-success in region=sa-east (page, resolved), checkout-success (page, resolved); worst segment region=sa-east", incident.Report().Summary);
    }

    [Fact]
    public void Combined_impact_counts_no_session_twice()
    {
        // One segment's alerts (two SLOs) share sessions: the larger counts (45 sessions, 300 at risk). Two regions are disjoint:
        // they add (45 + 60 sessions, 300 + 200). A plan tier may overlap the regions: the larger set counts, by sessions.
        var incident = Incident.Open(Alert("checkout-success", "region=sa-east", AlertSeverity.Page, T0, impact: new CustomerImpact(40, 300, 5)))
            .With(Alert("checkout-latency", "region=sa-east", AlertSeverity.Ticket, T0, impact: new CustomerImpact(45, 0, 3)), T0)
            .With(Alert("checkout-success", "region=us-east", AlertSeverity.Ticket, T0, impact: new CustomerImpact(60, 200, 4)), T0);
        Assert.Equal(new CustomerImpact(105, 500, 5), incident.Impact);

        incident = incident.With(Alert("checkout-success", "plan_tier=free", AlertSeverity.Page, T0.AddMinutes(1), impact: new CustomerImpact(500, 100, 6)), T0.AddMinutes(1));
        Assert.Equal(new CustomerImpact(500, 100, 6), incident.Impact);

        // The journey-wide alert holds every segment.
        incident = incident.With(Alert("checkout-success", "*", AlertSeverity.Page, T0.AddMinutes(2), impact: new CustomerImpact(1_000, 5_000, 9)), T0.AddMinutes(2));
        Assert.Equal(new CustomerImpact(1_000, 5_000, 9), incident.Impact);
        Assert.Equal(["plan_tier=free", "region=sa-east", "region=us-east"], incident.AffectedSegments.ToArray());
        Assert.Equal("plan_tier=free", incident.WorstSegment);
        Assert.Equal(AlertSeverity.Page, incident.Severity);
    }

    [Fact]
    public void Deploys_of_its_alerts_are_listed_once_first_seen_first()
    {
        var incident = Incident.Open(Alert("checkout-success", "*", AlertSeverity.Ticket, T0) with { Deploys = ["d-2", "d-1"] })
            .With(Alert("checkout-latency", "*", AlertSeverity.Ticket, T0) with { Deploys = ["d-1", "d-3"] }, T0);
        Assert.Equal(["d-2", "d-1", "d-3"], incident.Deploys.ToArray());
        Assert.Null(incident.DetectionDelay);
        Assert.Null(incident.WorstSegment);
    }

    [Fact]
    public void An_incident_opens_only_with_a_firing_alert_and_holds_one_journey()
    {
        var firing = Alert("checkout-success", "*", AlertSeverity.Page, T0);
        Assert.Throws<ArgumentException>(() => Incident.Open(firing with { Status = AlertStatus.Resolved }));
        Assert.Throws<ArgumentException>(() => Incident.Open(firing).With(firing with { Journey = "login", AlertId = "other" }, T0));
    }

    private static SloAlert Alert(string slo, string segment, AlertSeverity severity, DateTimeOffset startedAt, TimeSpan? delay = null, CustomerImpact? impact = null) =>
        new(
            $"{slo}|checkout|{segment}|{severity.ToString().ToLowerInvariant()}@{startedAt.ToUnixTimeMilliseconds()}",
            AlertStatus.Firing,
            severity,
            "checkout",
            segment,
            slo,
            ImmutableSortedDictionary<string, double>.Empty,
            [],
            0.1,
            startedAt,
            null,
            "payments",
            null,
            impact ?? new CustomerImpact(10, 100, 1),
            [],
            "")
        {
            DetectionDelay = delay,
        };
}
