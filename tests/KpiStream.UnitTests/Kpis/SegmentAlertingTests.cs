using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using KpiStream.Core.Incidents;
using KpiStream.Core.Journeys;
using KpiStream.Core.Slos;
using KpiStream.Processor.Configuration;
using KpiStream.Processor.Conventions;
using KpiStream.TestSupport;

namespace KpiStream.UnitTests.Kpis;

/// <summary>
/// SLOs judged per segment on the test driver. checkout-success (99%) with the sample's page-only
/// policy: page at 14.4x over 1h and 5m, or 6x over 6h and 30m. checkout judges each value of its
/// dimensions (region, device) with the default traffic floor of 20 SLI events in the rule's long window.
/// </summary>
public class SegmentAlertingTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.Parse("2026-11-23T00:00:00Z");

    [Fact]
    public void A_region_with_two_percent_of_the_traffic_failing_completely_pages_for_that_region_alone()
    {
        // Every minute 49 checkouts succeed in eu-west and one is made in ap-south (2%), which fails from minute 60 on.
        using var harness = new KpiTopologyHarness(T0.AddHours(3));
        Traffic(harness, minutes: 90, perMinute: 49, apSouthEvery: 1);
        harness.AdvanceAllPartitions(T0.AddMinutes(91));
        var alerts = harness.Alerts();

        // The journey burns 2x at worst (1 bad in 50): no journey-wide page. ap-south: the 1h rule needs 14.4% bad over 1h, 9 of
        // its 60 checkouts, at the end of minute 68; the 6h rule needs 6% over all 64 checkouts so far and over its last 30: the
        // 4th failure (minute 63) makes 4 of 64, 6.25%, and 4 of 30, so it pages at the end of minute 63, with 64 checkouts
        // in its long window, above the floor of 20.
        var page = Assert.Single(alerts);
        var start = T0.AddMinutes(64);
        Assert.Equal(
            ($"checkout-success|checkout|region=ap-south|page@{start.ToUnixTimeMilliseconds()}", AlertStatus.Firing, AlertSeverity.Page, "region=ap-south", start),
            (page.AlertId, page.Status, page.Severity, page.SegmentKey, page.StartedAt));
        Assert.Equal(["30m", "6h"], page.TrippedWindows.ToArray());
        // The region's run of failing minutes starts at minute 60: detected 4 minutes later.
        Assert.Equal(TimeSpan.FromMinutes(4), page.DetectionDelay);
        Assert.StartsWith("Page: checkout-success of checkout in region=ap-south burning ", page.Summary, StringComparison.Ordinal);
        Assert.EndsWith("2% of the journey's traffic", page.Summary, StringComparison.Ordinal);

        // Replayed, the window stage repeats no alert.
        harness.ReplayRepartition();
        harness.Commit();
        Assert.Single(harness.Alerts());
    }

    [Fact]
    public void A_segment_with_a_stricter_objective_of_its_own_pages_sooner_and_weighs_its_criticality()
    {
        // ap-south is held to 99.9% and weighs 5. Its first failure (minute 60) makes 1 bad of 60 over 1h (1.67%, 16.7x) and 1 of 5
        // over 5m (200x), both beyond 14.4x; 1 of 61 over 6h (16.4x) and 1 of 30 over 30m (33.3x), beyond 6x: it pages at the
        // end of minute 60, three minutes before 99% would. The budget: 1 bad of 61 against 0.1%, 1639% spent.
        using var harness = new KpiTopologyHarness(T0.AddHours(3), catalog: WithSegmentTerms("region=ap-south", objective: "0.999", criticality: "5"));
        Traffic(harness, minutes: 90, perMinute: 49, apSouthEvery: 1);
        harness.AdvanceAllPartitions(T0.AddMinutes(91));

        var page = Assert.Single(harness.Alerts());
        Assert.Equal(("region=ap-south", T0.AddMinutes(61), TimeSpan.FromMinutes(1)), (page.SegmentKey, page.StartedAt, page.DetectionDelay));
        Assert.Equal("Page: checkout-success of checkout in region=ap-south (objective 99.9%) burning 200x over 5m, 33.3x over 30m, 16.7x over 1h, 16.4x over 6h; 1639% of the 28-day budget spent; 2% of the journey's traffic", page.Summary);
        // The score weighs the segment's criticality (5), not the journey's (1): 5 x (1 + reach x log10(1 + sessions)), nothing else at firing.
        Assert.Equal(5 * (1 + ImpactWeights.Default.Reach * Math.Log10(1 + page.Impact.AffectedSessions)), page.Impact.Score, 9);
        // At the end of minute 89, 30 of ap-south's last 60 checkouts failed: 50% against its 0.1%. The journey as a whole is
        // still judged against 99%: the same 30 of its 3,000 checkouts, 1% against 1%.
        Assert.Equal(500, harness.SampleValue(MetricNames.SloBurnRate, "region=ap-south", "1h"), 9);
        Assert.Equal(1, harness.SampleValue(MetricNames.SloBurnRate, "*", "1h"), 9);
    }

    [Fact]
    public void A_segment_with_a_looser_objective_of_its_own_does_not_page_where_the_slos_would()
    {
        // ap-south is held to 90%: failing completely it burns at most 10x, under the 14.4x of the 1h rule; the 6h rule needs 60% of
        // its checkouts bad over 6h, which 90 minutes never reach (30 of 90). Judged at 99%, it paged at minute 64 (above).
        using var harness = new KpiTopologyHarness(T0.AddHours(3), catalog: WithSegmentTerms("region=ap-south", objective: "0.9", criticality: null));
        Traffic(harness, minutes: 90, perMinute: 49, apSouthEvery: 1);
        harness.AdvanceAllPartitions(T0.AddMinutes(91));

        Assert.Empty(harness.Alerts());
        // At the end of minute 89: 30 of its last 60 checkouts failed, 50% against the 10% the objective allows.
        Assert.Equal(5, harness.SampleValue(MetricNames.SloBurnRate, "region=ap-south", "1h"), 9);
    }

    [Theory]
    [InlineData("dimensions", null)]
    [InlineData("combinations", "device=ios,region=ap-south")]
    public void A_failure_confined_to_one_combination_pages_for_it_only_where_the_journey_judges_combinations(string mode, string? paged)
    {
        // Every minute: 30 web checkouts in eu-west, 19 web and 1 ios in ap-south, 19 ios in eu-west. The ios checkouts of
        // ap-south fail from minute 60. region=ap-south and device=ios each see 1 failure in 20 (5%, 5x against 1%), under
        // both page rules (14.4x, 6x) for good, and the journey 1 in 69. The combination fails completely: judged, it pages as
        // the 2% region did above, at the end of minute 63 (4 of its 64 checkouts bad over 6h, 4 of 30 over 30m).
        var catalog = JourneysFile.Parse(SampleJourneys.Yaml.Replace("segmentBy: [region, device]", $"segmentBy: [region, device]\n    segmentAlerting: {mode}", StringComparison.Ordinal), $"{mode}.yaml");
        using var harness = new KpiTopologyHarness(T0.AddHours(3), catalog: catalog);
        for (var minute = 0; minute < 90; minute++)
        {
            var at = T0.AddMinutes(minute);
            for (var i = 0; i < 69; i++)
            {
                var (region, device) = i < 30 ? ("eu-west", "web") : i < 49 ? ("ap-south", "web") : i < 50 ? ("ap-south", "ios") : ("eu-west", "ios");
                Checkout(harness, $"m{minute}-{i}", region, at.AddSeconds(i * 0.8), fails: minute >= 60 && i == 49, device: device);
            }

            if (minute % 30 == 0)
            {
                harness.Commit();
            }
        }

        harness.AdvanceAllPartitions(T0.AddMinutes(91));

        Assert.Equal(paged is null ? [] : [(paged, T0.AddMinutes(64))], harness.Alerts().Select(a => (a.SegmentKey, a.StartedAt)));
    }

    [Fact]
    public void A_segment_below_the_traffic_floor_does_not_page_and_is_counted()
    {
        // 40 checkouts a minute in eu-west; one in ap-south every 5 minutes (0.5%, 12 an hour, under the floor of 20), failing from minute 60.
        using var harness = new KpiTopologyHarness(T0.AddHours(3));
        Traffic(harness, minutes: 90, perMinute: 40, apSouthEvery: 5);
        harness.AdvanceAllPartitions(T0.AddMinutes(91));

        Assert.Empty(harness.Alerts());
        // The 6h rule trips from the end of minute 60 (1 bad of 13, 7.7% >= 6%; 1 of 6 over 30m) to the end of the last closed
        // minute, 89: 30 minute ends at which ap-south alone would have paged, with 13 to 18 checkouts in its 6h window.
        Assert.Equal(30, harness.SampleValue(MetricNames.SloSegmentTripsBelowFloor, "checkout", "checkout-success"));
    }

    [Fact]
    public void While_the_journey_pages_as_a_whole_its_segments_do_not_page_on_their_own()
    {
        // Every checkout fails from minute 60, in both regions: one page, for the journey.
        using var harness = new KpiTopologyHarness(T0.AddHours(3));
        Traffic(harness, minutes: 90, perMinute: 30, apSouthEvery: 1, everyoneFailsFrom: 60);
        harness.AdvanceAllPartitions(T0.AddMinutes(91));

        var page = Assert.Single(harness.Alerts());
        Assert.Equal(("*", AlertSeverity.Page), (page.SegmentKey, page.Severity));
        var incident = Assert.Single(harness.Incidents());
        Assert.Equal(($"checkout@{page.StartedAt.ToUnixTimeMilliseconds()}", IncidentState.Open, page.AlertId), (incident.IncidentId, incident.State, Assert.Single(incident.Alerts).AlertId));
        Assert.Equal(incident.IncidentId, page.IncidentId);
    }

    [Fact]
    public void A_region_that_pages_first_and_the_journey_wide_page_that_follows_are_one_incident_the_region_annotating_it()
    {
        // ap-south (2%) fails from minute 60 and pages at the end of minute 63, as above; everyone fails from minute 75. The
        // journey-wide 6h rule needs 6% of the 80 minutes' 4,000 checkouts bad, 240, and 6% of the last 30 minutes': by the end
        // of minute 79 there are 15 + 5 x 50 = 265 (of 1,500 over 30m): it pages at the end of minute 79, joining the open incident.
        using var harness = new KpiTopologyHarness(T0.AddHours(3));
        Traffic(harness, minutes: 90, perMinute: 49, apSouthEvery: 1, everyoneFailsFrom: 75);
        harness.AdvanceAllPartitions(T0.AddMinutes(91));

        var alerts = harness.Alerts();
        Assert.Equal([("region=ap-south", T0.AddMinutes(64)), ("*", T0.AddMinutes(80))], alerts.Select(a => (a.SegmentKey, a.StartedAt)));
        var id = $"checkout@{T0.AddMinutes(64).ToUnixTimeMilliseconds()}";
        Assert.All(alerts, a => Assert.Equal((id, false, AlertStatus.Firing, AlertSeverity.Page), (a.IncidentId, a.Annotation, a.Status, a.Severity)));

        var incidents = harness.Incidents();
        Assert.Equal(2, incidents.Count);
        Assert.All(incidents, i => Assert.Equal((id, IncidentState.Open, AlertSeverity.Page, T0.AddMinutes(64)), (i.IncidentId, i.State, i.Severity, i.OpenedAt)));
        var joined = incidents[1];
        Assert.Equal([(alerts[0].AlertId, true), (alerts[1].AlertId, false)], joined.Alerts.Select(a => (a.AlertId, a.Annotation)));
        Assert.Equal("region=ap-south", Assert.Single(joined.AffectedSegments));
        Assert.Equal("region=ap-south", joined.WorstSegment);
        // ap-south's run of failing minutes began at minute 60, four minutes before the incident opened.
        Assert.Equal(TimeSpan.FromMinutes(4), joined.DetectionDelay);
        Assert.Equal("Page: incident of checkout, open: checkout-success in region=ap-south (page, firing, annotation), checkout-success (page, firing); worst segment region=ap-south", joined.Summary);
        Assert.Equal(joined.Impact.AffectedSessions, alerts[1].Impact.AffectedSessions);
        Assert.Equal(1, harness.SampleValue(MetricNames.IncidentsOpened, "checkout", "page"));
        Assert.Equal(240, harness.SampleValue(MetricNames.MeanTimeToDetect, "checkout"));

        // Replayed, nothing is repeated.
        harness.ReplayRepartition();
        harness.Commit();
        Assert.Equal(2, harness.Incidents().Count);
    }

    [Fact]
    public void A_restart_between_the_region_page_and_the_journey_wide_page_keeps_them_one_incident()
    {
        // As above, with every task restarted from its changelogs after minute 70: the same alerts, the same incident.
        using var harness = new KpiTopologyHarness(T0.AddHours(3));
        Traffic(harness, minutes: 71, perMinute: 49, apSouthEvery: 1, everyoneFailsFrom: 75);
        harness.Commit();
        harness.Restart();
        Traffic(harness, minutes: 90, perMinute: 49, apSouthEvery: 1, everyoneFailsFrom: 75, firstMinute: 71);
        harness.AdvanceAllPartitions(T0.AddMinutes(91));

        var id = $"checkout@{T0.AddMinutes(64).ToUnixTimeMilliseconds()}";
        Assert.Equal([("region=ap-south", id), ("*", id)], harness.Alerts().Select(a => (a.SegmentKey, a.IncidentId!)));
        Assert.Equal([1, 2], harness.Incidents().Select(i => i.Alerts.Length));
        Assert.All(harness.Incidents(), i => Assert.Equal(id, i.IncidentId));
        // Counted once: the closed task let go of its open incident and firing alerts, the restarted one took them on.
        Assert.Equal(1, harness.SampleValue(MetricNames.IncidentsOpen, "checkout"));
        Assert.Equal(2, harness.SampleValue(MetricNames.AlertsFiring, "checkout", "checkout-success", "page"));
    }

    [Fact]
    public void A_segment_forgotten_while_quiet_comes_back_with_a_fresh_budget_after_a_restart_too()
    {
        // early-0 fails 10 of 30 checkouts at T0, then is quiet for four days (the workbook's history is three) and forgotten.
        using var harness = new KpiTopologyHarness(T0.AddDays(5));
        for (var i = 0; i < 30; i++)
        {
            Checkout(harness, $"early{i}", "early-0", T0.AddMinutes(i), fails: i < 10);
        }

        var later = T0.AddDays(4);
        harness.AdvanceAllPartitions(later);
        harness.Commit();
        harness.Restart();

        // It comes back with 30 good checkouts: its budget counts from its return, untouched, as it would without the restart.
        for (var i = 0; i < 30; i++)
        {
            Checkout(harness, $"back{i}", "early-0", later.AddMinutes(i), fails: false);
        }

        harness.AdvanceAllPartitions(later.AddMinutes(31));
        Assert.Equal(1, harness.SampleValue(MetricNames.SloErrorBudgetRemaining, "region=early-0"));
    }

    [Fact]
    public void Segments_quiet_for_the_policys_history_are_forgotten_and_free_their_places_among_the_judged()
    {
        // 49 regions and the web device, one checkout each: the 50 segments of checkout-success that may be judged.
        using var harness = new KpiTopologyHarness(T0.AddDays(5));
        for (var region = 0; region < 49; region++)
        {
            Checkout(harness, $"early{region}", $"early-{region}", T0.AddSeconds(region), fails: false);
        }

        // Four days later (the workbook's history is three), the 2% region scenario: it pages as if the early regions had never been.
        var later = T0.AddDays(4);
        Traffic(harness, minutes: 90, perMinute: 49, apSouthEvery: 1, start: later);
        harness.AdvanceAllPartitions(later.AddMinutes(91));

        var page = Assert.Single(harness.Alerts());
        Assert.Equal(("region=ap-south", later.AddMinutes(64)), (page.SegmentKey, page.StartedAt));
    }

    /// <summary>
    /// For random traffic, a small region that fails from a random minute on pages exactly at the first minute end at which,
    /// on its own counts, a page rule burns past its threshold over both windows with the floor's traffic in its long window
    /// (the rest of the journey is healthy and the journey as a whole never burns near a page threshold), or never.
    /// </summary>
    [Property(MaxTest = 12)]
    public Property A_failing_segment_pages_exactly_when_its_own_burn_rate_and_traffic_say_so()
    {
        const int Minutes = 90;
        var cases =
            from perMinute in Gen.Choose(40, 60)
            from density in Gen.Choose(1, 10)
            from minutesWithTraffic in Gen.Choose(1, 10).ArrayOf(Minutes).Select(draws => draws.Select(d => d <= density).ToArray())
            from failingFrom in Gen.Choose(20, 85)
            select (perMinute, minutesWithTraffic, failingFrom);
        return Prop.ForAll(cases.ToArbitrary(), c =>
        {
            using var harness = new KpiTopologyHarness(T0.AddHours(3));
            for (var minute = 0; minute < Minutes; minute++)
            {
                for (var i = 0; i < c.perMinute; i++)
                {
                    Checkout(harness, $"eu{minute}-{i}", "eu-west", T0.AddMinutes(minute).AddSeconds(1 + (i % 50)), fails: false);
                }

                if (c.minutesWithTraffic[minute])
                {
                    Checkout(harness, $"ap{minute}", "ap-south", T0.AddMinutes(minute).AddSeconds(55), fails: minute >= c.failingFrom);
                }
            }

            harness.AdvanceAllPartitions(T0.AddMinutes(Minutes + 1));
            var expected = ExpectedPage(c.minutesWithTraffic, c.failingFrom, Minutes);
            var alerts = harness.Alerts();
            return (expected is { } at
                    ? alerts.Count == 1 && alerts[0].SegmentKey == "region=ap-south" && alerts[0].StartedAt == T0.AddMinutes(at)
                    : alerts.Count == 0)
                .Label($"expected a page at minute end {expected?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}, got {string.Join(", ", alerts.Select(a => $"{a.SegmentKey} at {(a.StartedAt - T0).TotalMinutes}"))}");
        });
    }

    /// <summary>The oracle: the first minute end at which a page rule of the sample policy trips for the region with the floor's traffic.</summary>
    private static int? ExpectedPage(bool[] withTraffic, int failingFrom, int minutes)
    {
        (int Window, int Short, double Threshold)[] rules = [(60, 5, 14.4), (360, 30, 6)];
        (long Bad, long Total) Over(int end, int window)
        {
            var covered = Enumerable.Range(Math.Max(0, end - window), Math.Min(window, end)).Where(m => withTraffic[m]).ToList();
            return (covered.Count(m => m >= failingFrom), covered.Count);
        }

        bool Burns((long Bad, long Total) counts, double threshold) => counts.Total > 0 && (double)counts.Bad / counts.Total / 0.01 >= threshold * (1 - 1e-9);
        for (var end = 1; end <= minutes; end++)
        {
            if (rules.Any(r => Burns(Over(end, r.Window), r.Threshold) && Burns(Over(end, r.Short), r.Threshold) && Over(end, r.Window).Total >= 20))
            {
                return end;
            }
        }

        return null;
    }

    /// <summary>Checkouts of 10.00 EUR, each started and ended within its minute: <paramref name="perMinute"/> in eu-west, and one in ap-south every <paramref name="apSouthEvery"/> minutes, which fails from minute 60.</summary>
    private static void Traffic(KpiTopologyHarness harness, int minutes, int perMinute, int apSouthEvery, int? everyoneFailsFrom = null, DateTimeOffset? start = null, int firstMinute = 0)
    {
        for (var minute = firstMinute; minute < minutes; minute++)
        {
            var at = (start ?? T0).AddMinutes(minute);
            for (var i = 0; i < perMinute; i++)
            {
                Checkout(harness, $"eu{minute}-{i}-{at.Ticks}", "eu-west", at.AddSeconds(1 + i), fails: minute >= everyoneFailsFrom);
            }

            if (minute % apSouthEvery == 0)
            {
                Checkout(harness, $"ap{minute}-{at.Ticks}", "ap-south", at.AddSeconds(55), fails: minute >= 60);
            }

            if (minute % 30 == 0)
            {
                harness.Commit();
            }
        }
    }

    private static JourneyCatalog WithSegmentTerms(string segment, string objective, string? criticality) =>
        JourneysFile.Parse(
            SampleJourneys.Yaml.Replace(
                "runbook: https://runbooks.example.com/checkout",
                $"runbook: https://runbooks.example.com/checkout\n        segments:\n          - segment: {segment}\n            objective: {objective}"
                + (criticality is null ? "" : $"\n            criticality: {criticality}"),
                StringComparison.Ordinal),
            "segment-terms.yaml");

    private static void Checkout(KpiTopologyHarness harness, string session, string region, DateTimeOffset at, bool fails, string device = "web")
    {
        harness.Pipe(Events.Of($"{session}-b", "checkout_started", "checkout", session, at, region: region, device: device));
        harness.Pipe(fails
            ? Events.Of($"{session}-e", "checkout_failed", "checkout", session, at.AddMilliseconds(500), region: region, device: device)
            : Events.Of($"{session}-e", "checkout_completed", "checkout", session, at.AddMilliseconds(500), region: region, device: device, amount: 1_000, currency: "EUR"));
    }
}
