namespace KpiStream.Processor.Kpis;

/// <summary>Stage 1's promise to stage 2: input partition <see cref="SourcePartition"/> has seen event time up to <see cref="StreamTimeMs"/>.</summary>
public sealed record StreamTimeTick(int SourcePartition, long StreamTimeMs);
