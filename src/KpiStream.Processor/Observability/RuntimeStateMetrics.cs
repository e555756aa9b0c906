using KpiStream.Processor.Conventions;
using KpiStream.Streaming.Runtime;
using Prometheus;

namespace KpiStream.Processor.Observability;

/// <summary>
/// The runtime's state and readiness as series, read at each scrape, so that alert rules see what
/// <c>/healthz</c> and <c>/readyz</c> answer: a failed stream thread, or a processor that is not ready.
/// </summary>
public static class RuntimeStateMetrics
{
    public static void Register(CollectorRegistry registry, StreamsRuntime runtime)
    {
        var factory = Metrics.WithCustomRegistry(registry);
        var state = factory.CreateGauge(MetricNames.StreamsState, "1 for the state the stream threads are in together (failed once any has failed), 0 for the others.", MetricNames.StateLabel);
        var ready = factory.CreateGauge(MetricNames.Ready, "1 while /readyz answers ready: running and waiting for no dependency.");
        registry.AddBeforeCollectCallback(() =>
        {
            var current = runtime.State;
            foreach (var value in Enum.GetValues<StreamsState>())
            {
                state.WithLabels(value.ToString().ToLowerInvariant()).Set(value == current ? 1 : 0);
            }

            ready.Set(Readiness.Of(runtime).Ready ? 1 : 0);
        });
    }
}
