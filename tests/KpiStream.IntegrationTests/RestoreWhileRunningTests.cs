using Confluent.Kafka;
using KpiStream.IntegrationTests.Support;
using KpiStream.Streaming.Runtime;
using Microsoft.Extensions.Logging.Abstractions;

namespace KpiStream.IntegrationTests;

/// <summary>
/// A task with a long changelog restores a slice at a time between the batches of the thread's
/// running tasks: they do not wait for it, as they did while restores ran in the rebalance callback.
/// </summary>
/// <remarks>
/// The restore and the running task's first fetch race: with processes running flat out beside
/// it, the restore, which never waits, can finish before the broker's threads get the cores.
/// </remarks>
[Collection(HeavyProcesses.Name)]
public sealed class RestoreWhileRunningTests : IDisposable
{
    // The development broker never compacts: a busy task's checkpoint changelog grows by one record a commit.
    private const int UncompactedCheckpoints = 50_000;
    private const int MaxBatchSize = 1_000;
    private readonly CopyRun _run = new(partitions: 2);

    [Fact]
    public async Task A_task_restoring_a_long_changelog_leaves_the_threads_other_task_running_and_then_copies_its_own_input()
    {
        _run.CreateInput();
        var first = Enumerable.Range(0, 2_000).Select(i => $"p0-{i:D4}").ToList();
        string[] second = ["p1-a", "p1-b", "p1-c"];
        _run.ProduceInputTo(0, first);
        _run.ProduceInputTo(1, second);
        // Checkpoints of partition 1 that all say nothing of it was copied yet: once restored, its task starts at offset 0.
        var partitionOne = $"{CopyRun.Input}:1";
        _run.Produce(new TopicPartition(_run.CheckpointChangelog, 1), Enumerable.Repeat((partitionOne, "-1"), UncompactedCheckpoints));
        var observer = new RecordingObserver();
        var options = _run.Options() with { StreamThreads = 1, MaxBatchSize = MaxBatchSize };
        using var runtime = new StreamsRuntime(_run.Topology, options, observer, TimeProvider.System, NullLogger<StreamsRuntime>.Instance);
        using var stopping = new CancellationTokenSource();
        var running = runtime.RunAsync(stopping.Token);

        var copied = await _run.CopiedAsync(first.Count + second.Length);
        await stopping.CancelAsync();
        await running;

        Assert.Equal([.. first, .. second], copied.Order(StringComparer.Ordinal), StringComparer.Ordinal);
        var restored = Assert.Single(observer.Restores, r => r.Partition == 1);
        Assert.Equal(UncompactedCheckpoints, restored.Records);
        var slices = observer.RestoreProgress.Where(p => p.Partition == 1).ToList();
        Assert.Equal(UncompactedCheckpoints, slices.Sum(p => p.Records));
        Assert.InRange(slices.Count, UncompactedCheckpoints / MaxBatchSize, UncompactedCheckpoints);
        Assert.All(slices, s => Assert.InRange(s.Records, 1, MaxBatchSize));
        // Only records handed to a running task count as consumed: these can only be partition 0's.
        Assert.True(
            observer.Consumed.First().Sequence < restored.Sequence,
            $"partition 0's input was first consumed at report {observer.Consumed.First().Sequence}, after partition 1's restore finished at report {restored.Sequence}");
    }

    public void Dispose() => _run.Dispose();
}
