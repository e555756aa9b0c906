using KpiStream.Core.Composites;
using KpiStream.Core.Slos;
using KpiStream.Processor.Configuration;

namespace KpiStream.UnitTests.Configuration;

public class CompositeAlertsFileTests
{
    private const string Spec = """
        apiVersion: kpistream/v1
        journeys:
          - name: checkout
            owner: team-payments
            events:
              start: [checkout_started]
              success: [checkout_completed]
            segmentBy: [region]
            conversionTimeout: 10m
            slos:
              - name: checkout-success
                sli: event-ratio
                objective: 0.99
                period: 28d
            compositeAlerts:
              - name: slow-and-abandoned
                severity: page
                for: 5m
                resolveAfter: 10m
                runbook: https://runbooks.example.com/checkout/slow
                when:
                  - signal: latency_p95_ms
                    above: 1500
                    over: 1m
                  - signal: conversion
                    dropsBy: 8%
                    over: 5m
                    baseline: 1h
              - name: traffic-gone
                severity: ticket
                when:
                  - signal: attempts_per_minute
                    below: 1
                    minimumSamples: 0
        """;

    [Fact]
    public void Composite_alerts_parse_with_their_conditions_and_defaults()
    {
        var rules = JourneysFile.Parse(Spec, "composite.yaml").Find("checkout")!.CompositeAlerts;

        Assert.Equal(2, rules.Length);
        var slow = rules[0];
        Assert.Equal(
            [
                new CompositeCondition(KpiSignal.LatencyP95Ms, SignalComparison.Above, 1500, TimeSpan.FromMinutes(1), null, CompositeCondition.DefaultMinimumSamples),
                new CompositeCondition(KpiSignal.Conversion, SignalComparison.DropsBy, 0.08, TimeSpan.FromMinutes(5), TimeSpan.FromHours(1), CompositeCondition.DefaultMinimumSamples),
            ],
            slow.When.ToArray());
        Assert.Equal(
            new CompositeRule("slow-and-abandoned", AlertSeverity.Page, slow.When, TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(10), new Uri("https://runbooks.example.com/checkout/slow")),
            slow);
        var gone = rules[1];
        Assert.Equal(new CompositeCondition(KpiSignal.AttemptsPerMinute, SignalComparison.Below, 1, CompositeCondition.DefaultOver, null, 0), Assert.Single(gone.When));
        Assert.Equal((AlertSeverity.Ticket, TimeSpan.Zero, CompositeRule.DefaultResolveAfter, (Uri?)null), (gone.Severity, gone.For, gone.ResolveAfter, gone.Runbook));
    }

    [Theory]
    [InlineData("signal: latency_p95_ms", "signal: p95", "composite.yaml:22:21: journeys[0].compositeAlerts[0].when[0].signal: expected one of attempts_per_minute, conversion, error_rate, latency_p50_ms, latency_p95_ms, latency_p99_ms, requests_per_minute, success_rate, got 'p95'")]
    [InlineData("dropsBy: 8%", "dropsBy: 180%", "composite.yaml:26:22: journeys[0].compositeAlerts[0].when[1].dropsBy: expected a change above 0 and at most 100%, written as 8% or 0.08, got '180%'")]
    [InlineData("            baseline: 1h\n", "", "composite.yaml:25:13: journeys[0].compositeAlerts[0].when[1].baseline: expected the window before 'over' to compare with, such as 1h, for dropsBy; found none")]
    [InlineData("above: 1500", "above: 1500\n            below: 2000", "composite.yaml:22:13: journeys[0].compositeAlerts[0].when[0]: expected exactly one of above, below, dropsBy, risesBy, got above, below")]
    [InlineData("over: 1m", "over: 1m\n            baseline: 1h", "composite.yaml:25:23: journeys[0].compositeAlerts[0].when[0].baseline: expected no baseline: only dropsBy and risesBy compare with one")]
    [InlineData("for: 5m", "for: 90s", "composite.yaml:18:14: journeys[0].compositeAlerts[0].for: expected a whole number of minutes such as 5m or 1h, got '90s'")]
    [InlineData("name: traffic-gone", "name: checkout-success", "composite.yaml:29:9: journeys[0].compositeAlerts[1].name: expected a name no other SLO or composite alert of the journey has, 'checkout-success' is taken")]
    [InlineData("severity: ticket", "severity: email", "composite.yaml:30:19: journeys[0].compositeAlerts[1].severity: expected one of page, ticket, got 'email'")]
    [InlineData("minimumSamples: 0", "minimumSamples: -3", "composite.yaml:34:29: journeys[0].compositeAlerts[1].when[0].minimumSamples: expected a whole number from 0 to 1000000000, got '-3'")]
    public void Composite_alert_errors_name_file_line_field_and_expectation(string original, string replacement, string expected)
    {
        var yaml = Spec.Replace(original, replacement, StringComparison.Ordinal);
        Assert.NotEqual(Spec, yaml);

        var error = Assert.Throws<ConfigurationException>(() => JourneysFile.Parse(yaml, "composite.yaml"));

        Assert.Equal([expected], error.Errors);
    }
}
