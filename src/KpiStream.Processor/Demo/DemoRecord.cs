namespace KpiStream.Processor.Demo;

/// <summary>One record the demo wants produced: a domain event, a telemetry record, or raw (malformed) bytes.</summary>
public sealed record DemoRecord(string Topic, string? Key, object Payload);
