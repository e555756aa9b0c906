using System.Collections.Immutable;
using KpiStream.Core.Composites;
using KpiStream.Core.Kpis;
using KpiStream.Core.Slos;

namespace KpiStream.UnitTests.Core.Composites;

/// <summary>"Checkout p95 above 1.5 s for 5 minutes and conversion down at least 8% against the hour before → page", by hand.</summary>
public class CompositeRuleTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.Parse("2026-11-23T10:00:00Z");
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    private static readonly CompositeCondition SlowP95 = new(KpiSignal.LatencyP95Ms, SignalComparison.Above, 1500, Minute, null, MinimumSamples: 20);
    private static readonly CompositeCondition ConversionDown = new(KpiSignal.Conversion, SignalComparison.DropsBy, 0.08, TimeSpan.FromMinutes(5), TimeSpan.FromHours(1), MinimumSamples: 20);
    private static readonly CompositeRule SlowAndLosing = new("slow-and-losing", AlertSeverity.Page, [SlowP95, ConversionDown], TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(5), null);

    [Fact]
    public void A_rule_trips_once_every_condition_held_at_each_minute_of_its_for_window()
    {
        // An hour at 100 attempts and 90 successes a minute, 400 ms requests; then from minute 60 the
        // requests take 2 s and 82 of 100 convert: conversion 0.82 is 8.9% below 0.90.
        var history = new MinuteHistory();
        for (var minute = 0; minute < 70; minute++)
        {
            var degraded = minute >= 60;
            history.Add(T0.AddMinutes(minute), Counters(attempts: 100, successes: degraded ? 82 : 90, requests: 50, latencyMs: degraded ? 2_000 : 400));
        }

        // Minute 60 ends at T0+61: p95 is slow from that minute on, conversion over 5 minutes from minute 64
        // (a mix of 0.90 and 0.82 earlier is not 8% down), so both hold from T0+61 and T0+65 onwards.
        var atFirstBoth = SlowAndLosing.When.Select(c => c.Read(history.Sum, T0.AddMinutes(65)).Holds);
        Assert.Equal([true, true], atFirstBoth);
        Assert.False(SlowAndLosing.Judge(history.Sum, T0.AddMinutes(68)).Trips);
        var judgement = SlowAndLosing.Judge(history.Sum, T0.AddMinutes(69));
        Assert.True(judgement.Trips);

        // At T0+69 the baseline hour (minutes 4 to 63) holds four degraded minutes: (56 x 90 + 4 x 82) / 6000.
        var conversion = judgement.Readings[1];
        Assert.Equal((410.0 / 500, 5368.0 / 6000), (conversion.Current.Value!.Value, conversion.Baseline.Value!.Value));
        Assert.Equal((500L, 6000L), (conversion.Current.Samples, conversion.Baseline.Samples));
        Assert.Equal("conversion = 0.82, baseline 0.895 (conversion over 5m down 8% on the 1h before)", conversion.ToString());
        Assert.InRange(judgement.Readings[0].Current.Value!.Value, 2_000, 2_020);
    }

    [Fact]
    public void While_the_alert_fires_its_baseline_stays_before_the_fault_so_a_long_fault_keeps_it_firing()
    {
        // The same fault as above, lasting two hours.
        var history = new MinuteHistory();
        for (var minute = 0; minute < 180; minute++)
        {
            var degraded = minute >= 60;
            history.Add(T0.AddMinutes(minute), Counters(attempts: 100, successes: degraded ? 82 : 90, requests: 50, latencyMs: degraded ? 2_000 : 400));
        }

        // An hour into the fault, the hour before the last five minutes is all fault: 0.82 against 0.82.
        Assert.False(SlowAndLosing.Judge(history.Sum, T0.AddMinutes(180)).Trips);

        // Firing since T0+69, the baseline ends where the 9 minutes that tripped it began (T0+60): minutes 0 to 59.
        var firing = SlowAndLosing.Judge(history.Sum, T0.AddMinutes(180), firingSince: T0.AddMinutes(69));
        Assert.True(firing.Trips);
        Assert.Equal(0.9, firing.Readings[1].Baseline.Value!.Value, precision: 12);
    }

    [Fact]
    public void A_firing_alert_is_judged_on_the_current_minute_only_so_one_odd_minute_does_not_clear_its_for_window()
    {
        var history = new MinuteHistory();
        for (var minute = 0; minute < 80; minute++)
        {
            // Minute 75 of the fault has fast requests.
            var slow = minute >= 60 && minute != 75;
            history.Add(T0.AddMinutes(minute), Counters(attempts: 100, successes: minute >= 60 ? 82 : 90, requests: 50, latencyMs: slow ? 2_000 : 400));
        }

        // Not firing, the odd minute keeps the rule from tripping for the 5 evaluations that include it.
        Assert.False(SlowAndLosing.Judge(history.Sum, T0.AddMinutes(77)).Trips);
        Assert.False(SlowAndLosing.Judge(history.Sum, T0.AddMinutes(76)).Trips);

        // Firing, it is not tripped at the odd minute only, and trips again the minute after.
        Assert.False(SlowAndLosing.Judge(history.Sum, T0.AddMinutes(76), firingSince: T0.AddMinutes(69)).Trips);
        Assert.True(SlowAndLosing.Judge(history.Sum, T0.AddMinutes(77), firingSince: T0.AddMinutes(69)).Trips);
    }

    [Fact]
    public void Relative_thresholds_hold_at_exactly_their_change_and_need_enough_samples_in_both_windows()
    {
        var history = new MinuteHistory();
        for (var minute = 0; minute < 65; minute++)
        {
            // 0.92 is exactly 8% below 1.0, which binary floating point does not represent exactly.
            history.Add(T0.AddMinutes(minute), Counters(attempts: 25, successes: minute >= 60 ? 23 : 25, requests: 0, latencyMs: 0));
        }

        Assert.True(ConversionDown.Read(history.Sum, T0.AddMinutes(65)).Holds);
        Assert.False((ConversionDown with { Threshold = 0.0801 }).Read(history.Sum, T0.AddMinutes(65)).Holds);
        Assert.False((ConversionDown with { MinimumSamples = 126 }).Read(history.Sum, T0.AddMinutes(65)).Holds);
        Assert.False((ConversionDown with { Comparison = SignalComparison.RisesBy }).Read(history.Sum, T0.AddMinutes(65)).Holds);
    }

    [Fact]
    public void Absolute_thresholds_are_strict_and_an_undefined_or_thin_signal_never_holds()
    {
        var history = new MinuteHistory();
        history.Add(T0, Counters(attempts: 0, successes: 0, requests: 30, latencyMs: 1_500, errors: 3));

        var errorRate = new CompositeCondition(KpiSignal.ErrorRate, SignalComparison.Above, 0.1, Minute, null, MinimumSamples: 30);
        Assert.Equal(new SignalValue(0.1, 30), errorRate.Read(history.Sum, T0 + Minute).Current);
        Assert.False(errorRate.Read(history.Sum, T0 + Minute).Holds);
        Assert.True((errorRate with { Threshold = 0.099 }).Read(history.Sum, T0 + Minute).Holds);
        Assert.False((errorRate with { Threshold = 0.099, MinimumSamples = 31 }).Read(history.Sum, T0 + Minute).Holds);

        var conversion = new CompositeCondition(KpiSignal.Conversion, SignalComparison.Below, 0.5, Minute, null, MinimumSamples: 0);
        Assert.Equal(new SignalValue(null, 0), conversion.Read(history.Sum, T0 + Minute).Current);
        Assert.False(conversion.Read(history.Sum, T0 + Minute).Holds);

        var traffic = new CompositeCondition(KpiSignal.RequestsPerMinute, SignalComparison.Below, 10, TimeSpan.FromMinutes(5), null, MinimumSamples: 0);
        Assert.Equal(new SignalValue(6, 30), traffic.Read(history.Sum, T0.AddMinutes(5)).Current);
        Assert.True(traffic.Read(history.Sum, T0.AddMinutes(5)).Holds);
    }

    [Fact]
    public void The_span_and_lookback_of_a_rule_follow_its_for_window_and_conditions()
    {
        Assert.Equal(5, SlowAndLosing.Evaluations);
        Assert.Equal(TimeSpan.FromMinutes(9), SlowAndLosing.Span);
        Assert.Equal(TimeSpan.FromMinutes(4 + 5 + 60), SlowAndLosing.Lookback);
        Assert.Equal(1, (SlowAndLosing with { For = TimeSpan.Zero }).Evaluations);
    }

    private static KpiCounters Counters(long attempts, long successes, long requests, double latencyMs, long errors = 0)
    {
        var latency = LatencyHistogram.Empty;
        for (var i = 0; i < requests; i++)
        {
            latency = latency.Record(TimeSpan.FromMilliseconds(latencyMs));
        }

        return KpiCounters.Zero with { Attempts = attempts, Successes = successes, Requests = requests, RequestErrors = errors, Latency = latency };
    }
}
