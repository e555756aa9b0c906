using Confluent.Kafka;
using KpiStream.IntegrationTests.Support;
using KpiStream.Streaming.Runtime;
using KpiStream.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace KpiStream.IntegrationTests;

/// <summary>
/// A consumer error that librdkafka recovers from by itself must not stop a stream thread: a broker
/// outage produced one ("Unknown partition") only now and then; a source topic that does not exist
/// yet produces one every time ("Unknown topic or partition"), and creating it is the recovery.
/// </summary>
public sealed class ConsumerErrorTests : IDisposable
{
    private readonly CopyRun _run = new();

    [Fact]
    public async Task A_source_topic_that_appears_late_is_reported_as_a_consumer_error_and_its_records_are_then_processed()
    {
        var observer = new RecordingObserver();
        // The consumer looks for the missing topic again at each metadata refresh.
        var options = _run.Options(new Dictionary<string, string> { ["topic.metadata.refresh.interval.ms"] = "500" });
        using var runtime = new StreamsRuntime(_run.Topology, options, observer, TimeProvider.System, NullLogger<StreamsRuntime>.Instance);
        using var stopping = new CancellationTokenSource();
        var running = runtime.RunAsync(stopping.Token);

        await Polling.UntilAsync(
            () =>
            {
                Assert.NotEqual(StreamsState.Failed, runtime.State);
                return Task.FromResult(observer.ConsumerErrors.Contains(nameof(ErrorCode.UnknownTopicOrPart)));
            },
            CopyRun.Timeout);
        _run.CreateInput();
        _run.ProduceInput("a", "b", "c");

        Assert.Equal(["a", "b", "c"], await _run.CopiedAsync(3));
        Assert.Equal(StreamsState.Running, runtime.State);
        await stopping.CancelAsync();
        await running;
    }

    public void Dispose() => _run.Dispose();
}
