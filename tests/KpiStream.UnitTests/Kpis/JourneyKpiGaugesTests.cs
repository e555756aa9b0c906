using KpiStream.Core.Events;
using KpiStream.Processor.Conventions;
using KpiStream.TestSupport;

namespace KpiStream.UnitTests.Kpis;

public class JourneyKpiGaugesTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.Parse("2026-11-23T00:00:00Z");

    [Fact]
    public void A_journeys_last_final_minute_is_published_journey_wide()
    {
        using var harness = new KpiTopologyHarness(T0.AddHours(1));
        // Minute 0: four checkouts in two regions, three of them paid (10.00 EUR each), one failed; 20 requests of
        // checkout-api, 17 at 400 ms and 3 at 2 s, one of those a 503.
        for (var i = 0; i < 4; i++)
        {
            var at = T0.AddSeconds(10 * i);
            var region = i % 2 == 0 ? "eu-west" : "ap-south";
            harness.Pipe(Events.Of($"s{i}-b", "checkout_started", "checkout", $"s{i}", at, region: region));
            harness.Pipe(i == 3
                ? Events.Of($"s{i}-e", "checkout_failed", "checkout", $"s{i}", at.AddSeconds(1), region: region)
                : Events.Of($"s{i}-e", "checkout_completed", "checkout", $"s{i}", at.AddSeconds(1), region: region, amount: 1_000, currency: "EUR"));
        }

        for (var i = 0; i < 20; i++)
        {
            var slow = i >= 17;
            harness.PipeTelemetry(
                new ServiceTelemetry("checkout-api", "POST /orders", null, T0.AddSeconds(2 * i), slow ? 2_000 : 400, i == 19 ? 503 : 200, i == 19 ? RequestOutcome.Error : RequestOutcome.Success, null, "eu-west", null),
                i % KpiTopologyHarness.InputPartitions);
        }

        harness.Commit();
        harness.AdvanceAllPartitions(T0.AddMinutes(15));

        double Gauge(string metric, params string[] labels) => harness.SampleValue(metric, ["checkout", .. labels]);
        Assert.Equal(T0.ToUnixTimeSeconds(), Gauge(MetricNames.JourneyMinute));
        Assert.Equal(4, Gauge(MetricNames.JourneyAttempts));
        Assert.Equal(0.75, Gauge(MetricNames.JourneySuccess));
        Assert.Equal(0.75, Gauge(MetricNames.JourneyConversion));
        Assert.Equal(0.05, Gauge(MetricNames.JourneyRequestErrors));
        Assert.Equal(3_000, Gauge(MetricNames.JourneyRevenue, "EUR"));
        // p95 of the 20 is the 19th fastest, 2 s, as the histogram holds it (2 significant digits).
        Assert.Equal(2.0, Gauge(MetricNames.JourneyLatencyP95), 1);
    }
}
