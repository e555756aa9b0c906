using System.Globalization;
using KpiStream.Core.Events;
using KpiStream.Core.Kpis;
using KpiStream.Core.Slos;
using KpiStream.TestSupport;

namespace KpiStream.UnitTests.Kpis;

/// <summary>
/// The composite alert evaluator on the test driver, with the sample's checkout rule: page when
/// p95 over 1m is above 1500 ms and conversion over 5m is down at least 8% on the hour before, at
/// each of 5 minute evaluations in a row; resolve after 5 clear minutes.
/// </summary>
public class CompositeAlertingTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.Parse("2026-11-23T00:00:00Z");
    private const string Rule = "slow-and-abandoned";

    [Fact]
    public void Slow_requests_with_abandoned_checkouts_page_after_five_minutes_of_both_and_resolve_five_minutes_after_latency_recovers()
    {
        // 20 checkouts and 20 checkout-api requests a minute, each success 10.00 EUR. Minutes 75 to 89:
        // requests take 2 s instead of 400 ms and 4 of the 20 checkouts are abandoned (no outcome).
        using var harness = new KpiTopologyHarness(T0.AddHours(3));
        harness.PipeDeployment(new DeploymentMarker("d-slow", "checkout-api", "v42", T0.AddMinutes(74), null, "ci", null));
        for (var minute = 0; minute < 110; minute++)
        {
            var degraded = minute is >= 75 and < 90;
            for (var i = 0; i < 20; i++)
            {
                var at = T0.AddMinutes(minute).AddSeconds(1 + i);
                harness.Pipe(Events.Of($"b{minute}-{i}", "checkout_started", "checkout", $"s{minute}-{i}", at));
                if (!degraded || i >= 4)
                {
                    harness.Pipe(Events.Of($"e{minute}-{i}", "checkout_completed", "checkout", $"s{minute}-{i}", at.AddSeconds(20), amount: 1_000, currency: "EUR"));
                }

                harness.PipeTelemetry(new ServiceTelemetry("checkout-api", "POST /orders", null, at, degraded ? 2_000 : 400, 200, RequestOutcome.Success, null, "eu-west", null), i % KpiTopologyHarness.InputPartitions);
            }

            if (minute % 10 == 0)
            {
                harness.Commit();
            }
        }

        harness.AdvanceAllPartitions(T0.AddMinutes(111));
        var alerts = harness.Alerts();

        // p95 holds from the evaluation at the end of minute 75 (T0+76). Conversion over 5 minutes first
        // falls 8% at T0+77: (3 x 20 + 2 x 16) / 100 = 0.92 against 1.0. Five evaluations in a row: T0+77..81.
        var id = $"{Rule}|checkout|*|page@{T0.AddMinutes(81).ToUnixTimeMilliseconds()}";
        Assert.Equal([(id, AlertStatus.Firing), (id, AlertStatus.Resolved)], alerts.Select(a => (a.AlertId, a.Status)));
        var firing = alerts[0];
        Assert.Equal((AlertSeverity.Page, "checkout", "*", Rule, "team-payments"), (firing.Severity, firing.Journey, firing.SegmentKey, firing.Slo, firing.Owner));
        Assert.Equal(["latency_p95_ms over 1m above 1500", "conversion over 5m down 8% on the 1h before"], firing.TrippedWindows.ToArray());
        var p95 = LatencyHistogram.Of(TimeSpan.FromSeconds(2)).Percentile(95)!.Value.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture);
        // The baseline hour of T0+81 is minutes 16 to 75, one of them degraded: 1196 / 1200.
        Assert.Equal(
            $"Page: {Rule} of checkout: latency_p95_ms = {p95} (latency_p95_ms over 1m above 1500); conversion = 0.8, baseline 0.997 (conversion over 5m down 8% on the 1h before)",
            firing.Summary);
        Assert.Equal((T0.AddMinutes(81), (DateTimeOffset?)null), (firing.StartedAt, firing.EndedAt));
        Assert.Equal(["d-slow"], firing.Deploys.ToArray());

        // The 9 minutes that tripped it (72 to 80) saw 180 checkouts and 156 successes; the hour before
        // them converted every checkout at 10.00 EUR: 24 lost conversions, 240.00 EUR at risk.
        Assert.Equal((180L, 24_000L), (firing.Impact.AffectedSessions, firing.Impact.RevenueAtRiskMinor));

        // Latency is back from minute 90, so the evaluation at T0+91 is the first clear one; five clear minutes later it resolves.
        var resolved = alerts[1];
        Assert.Equal((T0.AddMinutes(81), (DateTimeOffset?)T0.AddMinutes(96)), (resolved.StartedAt, resolved.EndedAt));
        Assert.Equal($"Resolved: {Rule} of checkout after 15 min", resolved.Summary);
        Assert.Empty(resolved.TrippedWindows);

        // Partials and signals delivered again change nothing.
        harness.ReplayRepartition();
        harness.AdvanceAllPartitions(T0.AddMinutes(112));
        Assert.Equal(2, harness.Alerts().Count);
    }
}
