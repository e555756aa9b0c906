using KpiStream.Core.Journeys;
using KpiStream.Core.Kpis;
using KpiStream.Core.Windows;
using KpiStream.TestSupport;

namespace KpiStream.UnitTests.Core;

public class JourneyFunnelTests
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private static readonly DateTimeOffset T0 = DateTimeOffset.Parse("2026-11-23T10:00:00Z");
    private readonly JourneySpec _checkout = SampleJourneys.Checkout;

    [Fact]
    public void A_first_start_opens_the_session_and_counts_an_attempt_and_a_started_session()
    {
        var step = JourneyFunnel.Apply(_checkout, EventRole.Start, Events.Of("e1", "checkout_started", "checkout", "s1", T0.AddSeconds(5)), null, SuccessTimes.None, Minute);

        var delta = Assert.Single(step.Deltas);
        Assert.Equal(new KpiWindowKey("checkout", "device=web,region=eu-west", new TumblingWindow(T0, Minute)), delta.Key);
        Assert.Equal(KpiCounters.Zero with { Attempts = 1, SessionsStarted = 1 }, delta.Counters);
        Assert.Equal(new SessionStart("checkout", delta.Segment, T0.AddSeconds(5), new TumblingWindow(T0, Minute), false), step.Session);
    }

    [Fact]
    public void A_second_start_in_the_same_session_is_an_attempt_but_not_a_new_session()
    {
        var session = Start(T0.AddSeconds(5));
        var step = JourneyFunnel.Apply(_checkout, EventRole.Start, Events.Of("e2", "checkout_started", "checkout", "s1", T0.AddMinutes(3)), session, SuccessTimes.None, Minute);

        Assert.Equal(KpiCounters.Zero with { Attempts = 1 }, Assert.Single(step.Deltas).Counters);
        Assert.Equal(session, step.Session);
    }

    [Fact]
    public void A_success_within_the_timeout_is_credited_to_the_start_window_and_counts_revenue_in_its_own()
    {
        var session = Start(T0.AddSeconds(50));
        var success = Events.Of("e2", "checkout_completed", "checkout", "s1", T0.AddMinutes(10).AddSeconds(50), amount: 4250, currency: "EUR");

        var step = JourneyFunnel.Apply(_checkout, EventRole.Success, success, session, SuccessTimes.None, Minute);

        Assert.Equal(2, step.Deltas.Count);
        Assert.Equal(new TumblingWindow(T0.AddMinutes(10), Minute), step.Deltas[0].Key.Window);
        Assert.Equal(KpiCounters.Zero with { Successes = 1, Revenue = CurrencyAmounts.Of("EUR", 4250) }, step.Deltas[0].Counters);
        Assert.Equal(new TumblingWindow(T0, Minute), step.Deltas[1].Key.Window);
        Assert.Equal(KpiCounters.Zero with { SessionsConverted = 1 }, step.Deltas[1].Counters);
        Assert.True(step.Session!.Value.Converted);
    }

    [Fact]
    public void A_success_one_millisecond_after_the_timeout_does_not_convert()
    {
        var session = Start(T0);
        var step = JourneyFunnel.Apply(_checkout, EventRole.Success, Events.Of("e2", "checkout_completed", "checkout", "s1", T0.AddMinutes(10).AddMilliseconds(1)), session, SuccessTimes.None, Minute);

        Assert.Equal(KpiCounters.Zero with { Successes = 1 }, Assert.Single(step.Deltas).Counters);
        Assert.False(step.Session!.Value.Converted);
    }

    [Fact]
    public void A_session_converts_once_however_many_successes_follow()
    {
        var converted = Start(T0) with { Converted = true };
        var step = JourneyFunnel.Apply(_checkout, EventRole.Success, Events.Of("e3", "checkout_completed", "checkout", "s1", T0.AddMinutes(1)), converted, SuccessTimes.None, Minute);

        Assert.Single(step.Deltas);
    }

    [Fact]
    public void A_success_without_a_start_counts_as_success_only()
    {
        var step = JourneyFunnel.Apply(_checkout, EventRole.Success, Events.Of("e1", "checkout_completed", "checkout", "s9", T0), null, SuccessTimes.None, Minute);

        Assert.Equal(KpiCounters.Zero with { Successes = 1 }, Assert.Single(step.Deltas).Counters);
        Assert.Null(step.Session);
    }

    [Fact]
    public void A_failure_counts_a_failure_and_leaves_the_session_open()
    {
        var session = Start(T0);
        var step = JourneyFunnel.Apply(_checkout, EventRole.Failure, Events.Of("e2", "checkout_failed", "checkout", "s1", T0.AddSeconds(30)), session, SuccessTimes.None, Minute);

        Assert.Equal(KpiCounters.Zero with { Failures = 1 }, Assert.Single(step.Deltas).Counters);
        Assert.Equal(session, step.Session);
    }

    [Fact]
    public void A_success_that_arrives_before_its_start_converts_the_session_when_the_start_arrives()
    {
        // Happened 3 s after the start, arrived 1 s before it.
        var success = JourneyFunnel.Apply(_checkout, EventRole.Success, Events.Of("e2", "checkout_completed", "checkout", "s1", T0.AddSeconds(8)), null, SuccessTimes.None, Minute);
        Assert.Null(success.Session);

        var start = JourneyFunnel.Apply(_checkout, EventRole.Start, Events.Of("e1", "checkout_started", "checkout", "s1", T0.AddSeconds(5)), success.Session, success.Successes, Minute);

        var delta = Assert.Single(start.Deltas);
        Assert.Equal(new TumblingWindow(T0, Minute), delta.Key.Window);
        Assert.Equal(KpiCounters.Zero with { Attempts = 1, SessionsStarted = 1, SessionsConverted = 1 }, delta.Counters);
        Assert.True(start.Session!.Value.Converted);
    }

    [Fact]
    public void A_success_that_happened_before_the_start_does_not_convert_it()
    {
        var success = JourneyFunnel.Apply(_checkout, EventRole.Success, Events.Of("e2", "checkout_completed", "checkout", "s1", T0.AddSeconds(4)), null, SuccessTimes.None, Minute);

        var start = JourneyFunnel.Apply(_checkout, EventRole.Start, Events.Of("e1", "checkout_started", "checkout", "s1", T0.AddSeconds(5)), success.Session, success.Successes, Minute);

        Assert.Equal(KpiCounters.Zero with { Attempts = 1, SessionsStarted = 1 }, Assert.Single(start.Deltas).Counters);
        Assert.False(start.Session!.Value.Converted);
    }

    [Fact]
    public void An_earlier_start_that_arrives_later_moves_the_session_and_its_conversion_to_its_own_minute_and_segment()
    {
        // The later start (minute 1, us-east/ios) arrives first and converts; then the earlier one (minute 0, eu-west/web).
        var later = JourneyFunnel.Apply(_checkout, EventRole.Start, Events.Of("e2", "checkout_started", "checkout", "s1", T0.AddSeconds(61), region: "us-east", device: "ios"), null, SuccessTimes.None, Minute);
        var success = JourneyFunnel.Apply(_checkout, EventRole.Success, Events.Of("e3", "checkout_completed", "checkout", "s1", T0.AddSeconds(70)), later.Session, later.Successes, Minute);

        var earlier = JourneyFunnel.Apply(_checkout, EventRole.Start, Events.Of("e1", "checkout_started", "checkout", "s1", T0.AddSeconds(59)), success.Session, success.Successes, Minute);

        Assert.Equal(
            [
                (new KpiWindowKey("checkout", "device=web,region=eu-west", new TumblingWindow(T0, Minute)), KpiCounters.Zero with { Attempts = 1, SessionsStarted = 1, SessionsConverted = 1 }),
                (new KpiWindowKey("checkout", "device=ios,region=us-east", new TumblingWindow(T0.AddMinutes(1), Minute)), KpiCounters.Zero with { SessionsStarted = -1, SessionsConverted = -1 }),
            ],
            earlier.Deltas.Select(d => (d.Key, d.Counters)));
        Assert.Equal((T0.AddSeconds(59), true), (earlier.Session!.Value.StartedAt, earlier.Session.Value.Converted));
    }

    [Fact]
    public void An_earlier_start_that_arrives_later_takes_the_conversion_back_when_the_success_is_past_its_timeout()
    {
        var later = JourneyFunnel.Apply(_checkout, EventRole.Start, Events.Of("e2", "checkout_started", "checkout", "s1", T0.AddMinutes(5)), null, SuccessTimes.None, Minute);
        var success = JourneyFunnel.Apply(_checkout, EventRole.Success, Events.Of("e3", "checkout_completed", "checkout", "s1", T0.AddMinutes(12)), later.Session, later.Successes, Minute);
        Assert.True(success.Session!.Value.Converted);

        var earlier = JourneyFunnel.Apply(_checkout, EventRole.Start, Events.Of("e1", "checkout_started", "checkout", "s1", T0.AddMinutes(1)), success.Session, success.Successes, Minute);

        Assert.Equal(
            [KpiCounters.Zero with { Attempts = 1, SessionsStarted = 1 }, KpiCounters.Zero with { SessionsStarted = -1, SessionsConverted = -1 }],
            earlier.Deltas.Select(d => d.Counters));
        Assert.False(earlier.Session!.Value.Converted);
    }

    private SessionStart Start(DateTimeOffset at) =>
        JourneyFunnel.Apply(_checkout, EventRole.Start, Events.Of("e1", "checkout_started", "checkout", "s1", at), null, SuccessTimes.None, Minute).Session!.Value;
}
