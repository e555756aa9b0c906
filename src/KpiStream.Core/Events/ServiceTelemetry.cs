namespace KpiStream.Core.Events;

/// <summary>One request served by a service.</summary>
public sealed record ServiceTelemetry(
    string Service,
    string Operation,
    string? TraceId,
    DateTimeOffset Timestamp,
    double DurationMs,
    int StatusCode,
    RequestOutcome Outcome,
    string? DeployVersion,
    string Region,
    string? Journey);

public enum RequestOutcome
{
    Success,
    Error,
    Timeout,
    Unknown,
}
