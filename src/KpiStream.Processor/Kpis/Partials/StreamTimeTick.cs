namespace KpiStream.Processor.Kpis.Partials;

/// <summary>Stage 1's promise to stage 2: input partition <see cref="SourcePartition"/> has seen event time up to <see cref="StreamTimeMs"/>.</summary>
/// <param name="IngestedAtMs">Wall-clock time at which that stream time was reached; only for latency metrics.</param>
public sealed record StreamTimeTick(int SourcePartition, long StreamTimeMs, long IngestedAtMs);
