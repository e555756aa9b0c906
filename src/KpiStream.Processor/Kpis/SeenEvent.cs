namespace KpiStream.Processor.Kpis;

/// <summary>An event id already counted, with the input offset of its first occurrence (a replay of that offset is not a duplicate).</summary>
public readonly record struct SeenEvent(string EventId, long FirstOffset);
