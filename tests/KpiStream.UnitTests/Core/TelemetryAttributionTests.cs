using KpiStream.Core.Events;
using KpiStream.Core.Journeys;
using KpiStream.Core.Kpis;
using KpiStream.Core.Slos;
using KpiStream.Core.Validation;
using KpiStream.TestSupport;

namespace KpiStream.UnitTests.Core;

public class TelemetryAttributionTests
{
    private static readonly DateTimeOffset At = DateTimeOffset.Parse("2026-11-23T10:00:42Z");
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    private static ServiceTelemetry Request(string service = "checkout-api", int status = 200, RequestOutcome outcome = RequestOutcome.Success, double durationMs = 120, string? journey = null) =>
        new(service, "POST /pay", "trace-1", At, durationMs, status, outcome, "v42", "eu-west", journey);

    [Fact]
    public void A_request_counts_for_each_journey_that_declares_its_service_in_the_segment_of_its_region()
    {
        var delta = Assert.Single(TelemetryAttribution.Deltas(SampleJourneys.Catalog, Request(), Minute));

        // Checkout segments by region and device; telemetry knows only the region.
        Assert.Equal(new KpiWindowKey("checkout", "device=*,region=eu-west", new(DateTimeOffset.Parse("2026-11-23T10:00:00Z"), Minute)), delta.Key);
        Assert.Equal((1L, 0L, 1L), (delta.Counters.Requests, delta.Counters.RequestErrors, delta.Counters.Latency.Count));
        Assert.Equal(0, delta.Counters.Attempts);
    }

    [Theory]
    [InlineData(503, RequestOutcome.Success, 1)]
    [InlineData(200, RequestOutcome.Error, 1)]
    [InlineData(200, RequestOutcome.Timeout, 1)]
    [InlineData(404, RequestOutcome.Success, 0)]
    [InlineData(200, RequestOutcome.Unknown, 0)]
    public void Server_errors_and_failed_outcomes_are_errors_client_errors_are_not(int status, RequestOutcome outcome, long errors) =>
        Assert.Equal(errors, TelemetryAttribution.Deltas(SampleJourneys.Catalog, Request(status: status, outcome: outcome), Minute)[0].Counters.RequestErrors);

    [Fact]
    public void A_journey_tag_overrides_the_service_mapping_and_unmapped_services_count_nowhere()
    {
        Assert.Equal("login", Assert.Single(TelemetryAttribution.Deltas(SampleJourneys.Catalog, Request(journey: "login"), Minute)).Key.Journey);
        Assert.Empty(TelemetryAttribution.Deltas(SampleJourneys.Catalog, Request(service: "search-api"), Minute));
    }

    [Theory]
    [InlineData("", 120, null, DeadLetterReason.MissingField)]
    [InlineData("checkout-api", -1, null, DeadLetterReason.InvalidValue)]
    [InlineData("checkout-api", double.NaN, null, DeadLetterReason.InvalidValue)]
    [InlineData("checkout-api", 120, "returns", DeadLetterReason.UnknownJourney)]
    public void Impossible_requests_are_rejected_with_their_reason(string service, double durationMs, string? journey, DeadLetterReason reason)
    {
        var validator = new ServiceTelemetryValidator(SampleJourneys.Catalog, EventTimeBounds.Default);

        var (valid, rejection) = validator.Validate(Request(service: service, durationMs: durationMs, journey: journey), At);

        Assert.Null(valid);
        Assert.Equal(reason, rejection!.Reason);
    }

    [Fact]
    public void Each_sli_kind_counts_its_own_good_and_total()
    {
        var counters = KpiCounters.Zero with
        {
            Successes = 97,
            Failures = 3,
            Requests = 4,
            RequestErrors = 1,
            Latency = new[] { 100, 200, 1_400, 2_000 }.Aggregate(LatencyHistogram.Empty, (h, ms) => h.Record(TimeSpan.FromMilliseconds(ms))),
        };
        SloSpec Slo(SliKind kind, TimeSpan? threshold = null) => new("slo", kind, 0.99, TimeSpan.FromDays(28), threshold, AlertPolicy.Workbook, null);

        Assert.Equal(new SliCounts(97, 100), SliMeasure.Of(Slo(SliKind.EventRatio), counters));
        Assert.Equal(new SliCounts(3, 4), SliMeasure.Of(Slo(SliKind.Availability), counters));
        Assert.Equal(new SliCounts(3, 4), SliMeasure.Of(Slo(SliKind.Latency, TimeSpan.FromMilliseconds(1_500)), counters));
    }
}
