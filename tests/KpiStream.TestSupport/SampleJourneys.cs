using KpiStream.Core.Journeys;
using KpiStream.Processor.Configuration;

namespace KpiStream.TestSupport;

/// <summary>A small journeys specification whose numbers the tests compute by hand.</summary>
public static class SampleJourneys
{
    public const string Yaml = """
        apiVersion: kpistream/v1
        journeys:
          - name: checkout
            owner: team-payments
            events:
              start: [checkout_started]
              success: [checkout_completed]
              failure: [checkout_failed]
            segmentBy: [region, device]
            services: [checkout-api]
            conversionTimeout: 10m
            slos:
              - name: checkout-success
                sli: event-ratio
                objective: 0.99
                period: 28d
                alertPolicy: pages-only
                runbook: https://runbooks.example.com/checkout
            compositeAlerts:
              - name: slow-and-abandoned
                severity: page
                for: 5m
                when:
                  - signal: latency_p95_ms
                    above: 1500
                    over: 1m
                  - signal: conversion
                    dropsBy: 8%
                    over: 5m
                    baseline: 1h
          - name: login
            owner: team-identity
            events:
              start: [login_attempted]
              success: [login_succeeded]
              failure: [login_failed]
            segmentBy: [region]
            conversionTimeout: 2m
          - name: search
            owner: team-discovery
            events:
              start: [search_started]
              success: [result_clicked]
            segmentBy: [experiment]
            conversionTimeout: 1m
        alertPolicies:
          - name: pages-only
            resolveAfter: 5m
            rules:
              - severity: page
                longWindow: 1h
                shortWindow: 5m
                burnRate: 14.4
              - severity: page
                longWindow: 6h
                shortWindow: 30m
                burnRate: 6
        """;

    public static JourneyCatalog Catalog { get; } = JourneysFile.Parse(Yaml, "sample-journeys.yaml");

    public static JourneySpec Checkout => Catalog.Find("checkout")!;

    public static JourneySpec Login => Catalog.Find("login")!;

    /// <summary>Writes the specification to a temporary file and returns its path.</summary>
    public static string WriteToTempFile()
    {
        var path = Path.Combine(Path.GetTempPath(), $"kpistream-journeys-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, Yaml);
        return path;
    }
}
