namespace KpiStream.Processor.Kpis;

/// <summary>An event id already counted, with the input offset of its first occurrence (a replay of that offset is not a duplicate).</summary>
public sealed record SeenEvent(string EventId, long FirstOffset);
