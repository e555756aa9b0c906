using KpiStream.Core.Events;
using KpiStream.Core.Incidents;
using KpiStream.Core.Slos;
using KpiStream.Processor.Conventions;
using KpiStream.TestSupport;

namespace KpiStream.UnitTests.Kpis;

/// <summary>
/// The SLO evaluator on the test driver. checkout-success (99%, 28 days) uses the sample's
/// page-only policy: page at 14.4x over 1h and 5m, or 6x over 6h and 30m; resolve after 5 minutes.
/// </summary>
public class SloAlertingTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.Parse("2026-11-23T00:00:00Z");
    private const string Segment = "device=web,region=eu-west";
    private const string Subject = "checkout-success|checkout|*";

    [Fact]
    public void An_outage_pages_at_the_workbooks_detection_time_and_resolves_five_minutes_after_the_short_window_clears()
    {
        // Six clean hours, then 15 minutes of every checkout failing, then clean again; 20 checkouts a minute, each 10.00 EUR when it succeeds.
        using var harness = new KpiTopologyHarness(T0.AddHours(7));
        // Deploys of checkout's service 70 and 3 minutes before the outage, and of another service: only the recent checkout one is named.
        harness.PipeDeployment(new DeploymentMarker("d-old", "checkout-api", "v41", T0.AddMinutes(290), null, "ci", null));
        harness.PipeDeployment(new DeploymentMarker("d-bad", "checkout-api", "v42", T0.AddMinutes(357), null, "ci", null));
        harness.PipeDeployment(new DeploymentMarker("d-other", "search-api", "v7", T0.AddMinutes(358), null, "ci", null));
        for (var minute = 0; minute < 390; minute++)
        {
            Checkouts(harness, minute, failing: minute is >= 360 and < 375);

            if (minute % 30 == 0)
            {
                harness.Commit();
            }
        }

        harness.AdvanceAllPartitions(T0.AddMinutes(391));
        var alerts = harness.Alerts();

        // 1h at 14.4x of a 1% budget needs 14.4% errors over the hour: 8.64 bad minutes, so the 9th (minute 368) trips it.
        var id = $"{Subject}|page@{T0.AddMinutes(369).ToUnixTimeMilliseconds()}";
        Assert.Equal([(id, AlertStatus.Firing), (id, AlertStatus.Resolved)], alerts.Select(a => (a.AlertId, a.Status)));
        var firing = alerts[0];
        // Journey-wide, naming the segment that failed.
        Assert.Equal((AlertSeverity.Page, "checkout", "*", "checkout-success"), (firing.Severity, firing.Journey, firing.SegmentKey, firing.Slo));
        Assert.Equal($"Page: checkout-success of checkout burning 100x over 5m, 15x over 1h; 244% of the 28-day budget spent; worst segments: {Segment} (180 bad)", firing.Summary);
        Assert.Equal(["5m", "1h"], firing.TrippedWindows.ToArray());
        Assert.Equal(100.0, firing.BurnRates["5m"], precision: 9);       // every outcome failed: 100% / 1%
        Assert.Equal(30.0, firing.BurnRates["30m"], precision: 9);       // 9 of 30 minutes
        Assert.Equal(15.0, firing.BurnRates["1h"], precision: 9);        // 9 of 60 minutes
        Assert.Equal(2.5, firing.BurnRates["6h"], precision: 9);         // 9 of 360 minutes
        Assert.Equal(180.0 / 73.8, firing.BudgetConsumed, precision: 9); // 180 bad of 7,380, which allow 73.8
        Assert.Equal((T0.AddMinutes(369), (DateTimeOffset?)null), (firing.StartedAt, firing.EndedAt));
        // Detected 9 minutes after the onset: the run of minutes burning at the tripped rule's rate (14.4%) starts at minute 360.
        Assert.Equal(TimeSpan.FromMinutes(9), firing.DetectionDelay);
        Assert.Equal(540, harness.SampleValue(MetricNames.AlertDetectionDelay + "_sum", "checkout", "page"));
        Assert.Equal(("team-payments", new Uri("https://runbooks.example.com/checkout")), (firing.Owner, firing.Runbook));
        // Over the tripped hour: 1,200 checkouts; the hour before the alert's hour converted all of them at 10.00 EUR,
        // so the 180 that failed are 1,800.00 EUR at risk.
        Assert.Equal((1_200L, 180_000L), (firing.Impact.AffectedSessions, firing.Impact.RevenueAtRiskMinor));
        Assert.Equal(["d-bad"], firing.Deploys.ToArray());
        // Criticality 1, stage 0, just fired: 1 x (1 + log10(1 + 1,200)).
        Assert.Equal(1 + Math.Log10(1_201), firing.Impact.Score, precision: 9);

        // The 5m window is clean from minute 379; five clear minutes later, at the end of minute 384, it resolves.
        var resolved = alerts[1];
        Assert.Equal((T0.AddMinutes(369), (DateTimeOffset?)T0.AddMinutes(385)), (resolved.StartedAt, resolved.EndedAt));
        Assert.Empty(resolved.TrippedWindows);
        Assert.Null(resolved.DetectionDelay);
        // While firing, minutes 369 to 384: 320 checkouts, 120 of them failed.
        Assert.Equal((320L, 120_000L), (resolved.Impact.AffectedSessions, resolved.Impact.RevenueAtRiskMinor));

        // Its incident closes with it and keeps the 9 minutes, which still count towards the journey's mean time to detect.
        var closed = harness.Incidents()[^1];
        Assert.Equal((IncidentState.Closed, T0.AddMinutes(385), TimeSpan.FromMinutes(9)), (closed.State, closed.ClosedAt, closed.DetectionDelay));
        Assert.Equal(540, harness.SampleValue(MetricNames.MeanTimeToDetect, "checkout"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_fault_in_the_journeys_first_hour_is_priced_against_the_minutes_before_its_onset(bool restartWhileFiring)
    {
        // 40 clean minutes of history, then every checkout fails for 15 minutes; 20 checkouts a minute, each 10.00 EUR when it succeeds.
        using var harness = new KpiTopologyHarness(T0.AddHours(3));
        for (var minute = 0; minute < 100; minute++)
        {
            if (minute == 60 && restartWhileFiring)
            {
                // The onset is kept with the firing alert: the restarted task prices its resolution the same way.
                harness.Commit();
                harness.Restart();
            }

            Checkouts(harness, minute, failing: minute is >= 40 and < 55);
        }

        harness.AdvanceAllPartitions(T0.AddMinutes(101));
        var alerts = harness.Alerts();

        // With 43 minutes held, the 6h window is those minutes: 3 bad of 43 is 7% (over 6%), and the 30m window 3 of 30,
        // 10%: the 6x rule trips at the end of minute 42. Its run of bad minutes starts at minute 40.
        var (firing, resolved) = (alerts[0], alerts[1]);
        Assert.Equal(2, alerts.Count);
        Assert.Equal((AlertStatus.Firing, T0.AddMinutes(43), TimeSpan.FromMinutes(3)), (firing.Status, firing.StartedAt, firing.DetectionDelay));
        Assert.Equal(["30m", "6h"], firing.TrippedWindows.ToArray());
        // The hour before the onset (minutes -20 to 39) holds the 40 clean minutes: all 800 converted, at 10.00 EUR. Over the 6h
        // window that tripped, 860 checkouts converted 800: 60 lost, 600.00 EUR. The hour before the alert's own hour (which an
        // alert without an onset falls back to) is before the first event, and would have priced them at nothing.
        Assert.Equal((860L, 60_000L), (firing.Impact.AffectedSessions, firing.Impact.RevenueAtRiskMinor));

        // The 30m window holds 2 bad minutes (6.7%) until minute 82; clear from the end of minute 83, resolved 5 minutes later.
        // Since it fired, minutes 43 to 88: 920 checkouts, of which minutes 43 to 54 (240) failed; priced against the same hour.
        Assert.Equal((AlertStatus.Resolved, (DateTimeOffset?)T0.AddMinutes(89)), (resolved.Status, resolved.EndedAt));
        Assert.Equal((920L, 240_000L), (resolved.Impact.AffectedSessions, resolved.Impact.RevenueAtRiskMinor));
    }

    [Fact]
    public void Replaying_the_window_stage_from_the_start_repeats_no_alert()
    {
        using var harness = new KpiTopologyHarness(T0.AddHours(2));
        for (var minute = 0; minute < 80; minute++)
        {
            for (var i = 0; i < 10; i++)
            {
                harness.Pipe(Events.Of($"e{minute}-{i}", minute >= 60 ? "checkout_failed" : "checkout_completed", "checkout", $"s{minute}-{i}", T0.AddMinutes(minute).AddSeconds(1 + i)));
            }
        }

        harness.AdvanceAllPartitions(T0.AddMinutes(81));
        var before = harness.Alerts().Count;
        Assert.Equal(1, before);

        harness.ReplayRepartition();
        harness.Commit();

        Assert.Equal(before, harness.Alerts().Count);
    }

    [Fact]
    public void A_journey_that_goes_quiet_pages_for_silence_and_resolves_when_traffic_returns()
    {
        // Ten checkouts a minute for 70 minutes, nothing for 20, then ten a minute again.
        using var harness = new KpiTopologyHarness(T0.AddHours(2));
        for (var minute = 0; minute < 100; minute++)
        {
            for (var i = 0; i < (minute is >= 70 and < 90 ? 0 : 10); i++)
            {
                harness.Pipe(Events.Of($"e{minute}-{i}", "checkout_completed", "checkout", $"s{minute}-{i}", T0.AddMinutes(minute).AddSeconds(1 + i)));
            }

            // The harness's closers are login attempts, three a minute: login never goes quiet.
            harness.AdvanceAllPartitions(T0.AddMinutes(minute).AddSeconds(30));
        }

        harness.AdvanceAllPartitions(T0.AddMinutes(101));

        var alerts = harness.Alerts().Where(a => a.Slo == "silence").ToList();
        // At the end of minute 78 the last ten minutes hold minute 69's 10 events: 10% of the 100 the hour before predicts.
        var id = $"silence|checkout|*|page@{T0.AddMinutes(79).ToUnixTimeMilliseconds()}";
        Assert.Equal([(id, AlertStatus.Firing), (id, AlertStatus.Resolved)], alerts.Select(a => (a.AlertId, a.Status)));
        Assert.Equal("Page: checkout went quiet: 10 events in the last 10 min against 100 expected from the hour before", alerts[0].Summary);
        Assert.Equal((AlertSeverity.Page, "*", 90L), (alerts[0].Severity, alerts[0].SegmentKey, alerts[0].Impact.AffectedSessions));
        // Traffic is back in minute 90, so from the end of minute 90 it is not silent; five minutes later it resolves.
        Assert.Equal(T0.AddMinutes(96), alerts[1].EndedAt);
        Assert.DoesNotContain(harness.Alerts(), a => a.Journey == "login");
    }

    /// <summary>The minute's 20 checkouts, started in its first seconds and ended 24 seconds later: all failed, or all completed at 10.00 EUR.</summary>
    private static void Checkouts(KpiTopologyHarness harness, int minute, bool failing)
    {
        for (var i = 0; i < 20; i++)
        {
            harness.Pipe(Events.Of($"b{minute}-{i}", "checkout_started", "checkout", $"s{minute}-{i}", T0.AddMinutes(minute).AddSeconds(1 + i)));
            harness.Pipe(failing
                ? Events.Of($"e{minute}-{i}", "checkout_failed", "checkout", $"s{minute}-{i}", T0.AddMinutes(minute).AddSeconds(25 + i))
                : Events.Of($"e{minute}-{i}", "checkout_completed", "checkout", $"s{minute}-{i}", T0.AddMinutes(minute).AddSeconds(25 + i), amount: 1_000, currency: "EUR"));
        }
    }
}
