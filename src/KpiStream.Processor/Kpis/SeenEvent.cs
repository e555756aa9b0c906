namespace KpiStream.Processor.Kpis;

/// <summary>An event id already counted: when it happened, and the input offset of its first occurrence.</summary>
public sealed record SeenEvent(DateTimeOffset OccurredAt, long FirstOffset);
