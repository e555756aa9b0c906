using KpiStream.Streaming.Runtime;

namespace KpiStream.Processor.Observability;

/// <summary>Whether the processor is ready to be relied on, and what it says about it: the answer of /readyz and of kpistream_ready.</summary>
public sealed record Readiness(bool Ready, string Text)
{
    public static Readiness Of(StreamsRuntime runtime) =>
        runtime.State != StreamsState.Running
            ? new(false, runtime.State.ToString().ToLowerInvariant())
            : runtime.WaitingFor is [_, ..] waiting
                ? new(false, $"waiting for {string.Join("; ", waiting)}")
                : new(true, "ready");
}
