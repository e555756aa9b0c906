namespace KpiStream.Benchmarks;

/// <summary>One benchmark run on a fresh cluster: KpiStream, then (in throughput runs) the raw passthrough on the same input.</summary>
/// <param name="TimedEvents">The input after the warm-up part, which the rates are measured on.</param>
internal sealed record MeasuredRun(int Events, int TimedEvents, KpiStreamRun.Result Kpi, PassthroughRuns Raw);

/// <param name="SameLoops">With as many copy loops as KpiStream has stream threads.</param>
/// <param name="SingleLoop">With one (earlier sessions' baseline).</param>
internal sealed record PassthroughRuns(PassthroughRun SameLoops, PassthroughRun SingleLoop)
{
    /// <summary>The rate KpiStream is compared with: a slower baseline would flatter the ratio.</summary>
    public double FasterEventsPerSecond => Math.Max(SameLoops.EventsPerSecond, SingleLoop.EventsPerSecond);
}

/// <param name="MachineCpuPerEvent">CPU time the whole machine spent while it copied, per copied record.</param>
internal sealed record PassthroughRun(double EventsPerSecond, TimeSpan MachineCpuPerEvent)
{
    /// <summary>Memory runs measure no passthrough.</summary>
    public static readonly PassthroughRun None = new(double.NaN, TimeSpan.Zero);
}
