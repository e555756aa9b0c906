using KpiStream.EmbeddedKafka;
using KpiStream.IntegrationTests.Support;
using KpiStream.Streaming.Runtime;
using KpiStream.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace KpiStream.IntegrationTests;

/// <summary>
/// Tasks restore their state in the stream thread's poll loop, not in the rebalance callback: a
/// restarted runtime resumes after its checkpoints and reports the restore's progress; a broker that
/// will not say where a changelog ends is asked again; and a stop ends a restore that waits for it.
/// </summary>
public sealed class RestoreTests : IDisposable
{
    private const int UnknownServerError = -1;
    private const string RetryWarning = "A changelog's end offset could not be read";
    private readonly CopyRun _run = new();

    [Fact]
    public async Task A_restarted_runtime_restores_its_checkpoint_reporting_each_record_and_copies_only_the_new_input()
    {
        _run.CreateInput();
        _run.ProduceInput("a", "b", "c");
        using (var first = new StreamsRuntime(_run.Topology, _run.Options(), new RecordingObserver(), TimeProvider.System, NullLogger<StreamsRuntime>.Instance))
        {
            using var stopping = new CancellationTokenSource();
            var running = first.RunAsync(stopping.Token);
            Assert.Equal(["a", "b", "c"], await _run.CopiedAsync(3));
            await stopping.CancelAsync();
            await running;
        }

        var checkpoints = TopicReader.ReadAll(_run.Cluster.BootstrapServers, _run.CheckpointChangelog).Count;
        Assert.True(checkpoints > 0, "the first run committed no checkpoint");
        _run.ProduceInput("d", "e");
        var observer = new RecordingObserver();
        using var second = new StreamsRuntime(_run.Topology, _run.Options(), observer, TimeProvider.System, NullLogger<StreamsRuntime>.Instance);
        using (var stopping = new CancellationTokenSource())
        {
            var running = second.RunAsync(stopping.Token);
            Assert.Equal(["a", "b", "c", "d", "e"], await _run.CopiedAsync(5));
            await stopping.CancelAsync();
            await running;
        }

        // Read again after the stop: a re-copy of a, b or c would have come in by then.
        Assert.Equal(["a", "b", "c", "d", "e"], await _run.CopiedAsync(5));
        var restored = Assert.Single(observer.Restores);
        Assert.Equal((_run.CheckpointStore, 0, (long)checkpoints), (restored.Name, restored.Partition, restored.Records));
        Assert.Equal(checkpoints, observer.RestoreProgress.Where(p => p.Name == restored.Name).Sum(p => p.Records));
    }

    [Fact]
    public async Task A_changelog_end_the_broker_will_not_tell_at_assignment_is_asked_for_again_and_the_task_then_runs()
    {
        _run.CreateInput();
        _run.ProduceInput("a", "b", "c");

        // The restore of the new task asks for its changelog's end first: these answer it. The
        // assignment itself starts at an offset that needs no query, so nothing asks before the restore.
        _run.Cluster.PushRequestErrors(KafkaApiKey.ListOffsets, UnknownServerError, UnknownServerError, UnknownServerError);
        var logger = new WarningsLogger();
        using var runtime = new StreamsRuntime(_run.Topology, _run.Options(), new RecordingObserver(), TimeProvider.System, logger);
        using var stopping = new CancellationTokenSource();
        var running = runtime.RunAsync(stopping.Token);

        await Polling.UntilAsync(() => Task.FromResult(runtime.State is StreamsState.Failed or StreamsState.Running), CopyRun.Timeout);
        Assert.Equal(StreamsState.Running, runtime.State);
        Assert.Equal(["a", "b", "c"], await _run.CopiedAsync(3));
        Assert.Contains(logger.Warnings, w => w.StartsWith($"{RetryWarning} (attempt 1)", StringComparison.Ordinal));
        await stopping.CancelAsync();
        await running;
    }

    [Fact]
    public async Task A_stop_ends_a_restore_waiting_for_a_broker_that_keeps_refusing_and_the_thread_closes_its_clients()
    {
        _run.CreateInput();
        // Refusals enough for minutes of backoff.
        _run.Cluster.PushRequestErrors(KafkaApiKey.ListOffsets, [.. Enumerable.Repeat(UnknownServerError, 200)]);
        var logger = new WarningsLogger();
        var runtime = new StreamsRuntime(_run.Topology, _run.Options(), new RecordingObserver(), TimeProvider.System, logger);
        using var stopping = new CancellationTokenSource();
        var running = runtime.RunAsync(stopping.Token);
        await Polling.UntilAsync(() => Task.FromResult(logger.Warnings.Count(w => w.StartsWith(RetryWarning, StringComparison.Ordinal)) >= 3), CopyRun.Timeout);
        Assert.Equal(StreamsState.Restoring, runtime.State);

        await stopping.CancelAsync();

        await running.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(StreamsState.Stopped, runtime.State);
        runtime.Dispose();
        Assert.DoesNotContain(logger.Warnings, w => w.Contains("were not destroyed", StringComparison.Ordinal));
    }

    public void Dispose() => _run.Dispose();
}
