using KpiStream.EmbeddedKafka;
using KpiStream.IntegrationTests.Support;
using KpiStream.TestSupport;

namespace KpiStream.IntegrationTests;

/// <summary>
/// The five fault scenarios of the exactly-once guarantee, each on a seeded input of over 50,000
/// events: the KPI table must equal the oracle exactly, and a window written twice must be written
/// identically. The development broker shows aborted transactions to read_committed consumers, so
/// these results rest on the idempotent design, not on the broker.
/// </summary>
[Collection(HeavyProcesses.Name)]
public class ExactlyOnceProofTests
{
    // About 2.1 events per session.
    private const int Sessions = 25_500;
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_clean_run_gives_exactly_the_oracle()
    {
        using var run = new ProofRun(Sessions, seed: 1);
        run.ProduceInput();
        run.StartProcessor();

        run.AssertExactlyTheOracle(await run.WaitForOutputAsync());
    }

    [Fact]
    public async Task Killing_the_processor_three_times_mid_stream_gives_exactly_the_oracle()
    {
        using var run = new ProofRun(Sessions, seed: 2);
        run.ProduceInput();
        foreach (var delay in new[] { 3_000, 5_500, 8_000 })
        {
            var victim = run.StartProcessor();
            await victim.WaitForLineAsync("Metrics on", ExitTimeout);
            await Task.Delay(delay);
            victim.Signal(9);
            await victim.WaitForExitAsync(ExitTimeout);
        }

        run.StartProcessor();

        run.AssertExactlyTheOracle(await run.WaitForOutputAsync());
    }

    [Fact]
    public async Task Scaling_from_one_instance_to_three_and_back_gives_exactly_the_oracle()
    {
        using var run = new ProofRun(Sessions, seed: 3);
        run.ProduceInput();
        run.StartProcessor();
        await Task.Delay(3_000);
        var second = run.StartProcessor();
        var third = run.StartProcessor();
        await Task.Delay(8_000);
        second.Signal(15);
        third.Signal(15);
        Assert.Equal(0, await second.WaitForExitAsync(ExitTimeout));
        Assert.Equal(0, await third.WaitForExitAsync(ExitTimeout));

        run.AssertExactlyTheOracle(await run.WaitForOutputAsync());
    }

    [Fact]
    public async Task Stream_threads_of_two_instances_share_the_tasks_and_give_exactly_the_oracle()
    {
        using var run = new ProofRun(Sessions, seed: 6);
        run.ProduceInput();
        var first = run.StartProcessor(streamThreads: 2);
        await Task.Delay(3_000);
        var second = run.StartProcessor(streamThreads: 2);
        await Polling.UntilAsync(() => Task.FromResult(EveryThreadOwnedTasks(second)), ExitTimeout);
        second.Signal(15);
        Assert.Equal(0, await second.WaitForExitAsync(ExitTimeout));

        run.AssertExactlyTheOracle(await run.WaitForOutputAsync());
        Assert.True(EveryThreadOwnedTasks(first));
    }

    [Fact]
    public async Task Broker_outages_and_injected_request_errors_give_exactly_the_oracle()
    {
        using var run = new ProofRun(Sessions, seed: 4);
        run.ProduceInput();
        run.StartProcessor();
        await Task.Delay(3_000);
        const int NotLeader = 6, RequestTimedOut = 7, CoordinatorNotAvailable = 15;
        run.Cluster.PushRequestErrors(KafkaApiKey.Produce, NotLeader, RequestTimedOut, NotLeader);
        run.Cluster.PushRequestErrors(KafkaApiKey.Fetch, NotLeader, NotLeader);
        run.Cluster.PushRequestErrors(KafkaApiKey.EndTxn, CoordinatorNotAvailable, CoordinatorNotAvailable);
        run.Cluster.PushRequestErrors(KafkaApiKey.AddPartitionsToTxn, CoordinatorNotAvailable);
        await Task.Delay(2_000);
        run.Cluster.SetBrokerDown(2);
        await Task.Delay(4_000);
        run.Cluster.SetBrokerUp(2);

        run.AssertExactlyTheOracle(await run.WaitForOutputAsync());
    }

    [Fact]
    public async Task The_same_events_produced_twice_give_exactly_the_oracle_with_duplicates_counted_once()
    {
        using var run = new ProofRun(Sessions / 2, seed: 5, duplicateEverything: true);
        run.ProduceInput();
        run.StartProcessor();

        run.AssertExactlyTheOracle(await run.WaitForOutputAsync());
        Assert.Equal(run.Input.Events.Count / 2, run.Input.Expected.Values.Where(w => w.Window.Size == TimeSpan.FromMinutes(1)).Sum(w => w.Counters.DuplicateRecords));
    }

    /// <summary>Whether both stream threads logged an assignment of at least one partition (logged as "topic [[n]]").</summary>
    private static bool EveryThreadOwnedTasks(KpiProcess instance) =>
        new[] { 1, 2 }.All(thread => instance.Stdout.Any(line => line.Contains($"Stream thread {thread} assigned ", StringComparison.Ordinal) && line.Contains("[[", StringComparison.Ordinal)));
}
