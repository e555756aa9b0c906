using KpiStream.Streaming.Topologies;
using Microsoft.Extensions.Logging;

namespace KpiStream.Streaming.Runtime;

/// <summary>
/// Runs a topology with exactly-once commits on <see cref="StreamsOptions.StreamThreads"/> stream
/// threads, each its own member of the application's consumer group with its own tasks, like
/// Kafka Streams' <c>num.stream.threads</c>: the group spreads partitions over threads exactly as
/// over instances, and a task moves between threads as between instances, restoring its state.
/// </summary>
/// <remarks>
/// If one thread fails the others are stopped and the runtime fails: an instance running with
/// fewer threads than configured would hold partitions it processes more slowly than the group
/// expects, and a restart restores the failed thread's tasks from their changelogs.
/// </remarks>
public sealed class StreamsRuntime : IDisposable
{
    private readonly StreamThread[] _threads;
    private readonly string _stateDirectory;

    public StreamsRuntime(Topology topology, StreamsOptions options, IRuntimeObserver observer, TimeProvider clock, ILogger<StreamsRuntime> logger)
    {
        options.Validate();
        var applicationDirectory = InstanceStateDirectory.ApplicationDirectory(options.StateDirectory, options.ApplicationId);
        InstanceStateDirectory.RemoveThoseOfDeadInstances(applicationDirectory);
        _stateDirectory = InstanceStateDirectory.Create(applicationDirectory);
        _threads = [.. Enumerable.Range(1, options.StreamThreads)
            .Select(index => new StreamThread(index, topology, options, observer, clock, logger, Path.Combine(_stateDirectory, $"thread-{index}")))];
    }

    /// <summary>
    /// Failed if any thread failed; otherwise the least advanced state of any thread, so the
    /// runtime is running only once every thread has had its first assignment (an empty one counts)
    /// and no task is restoring.
    /// </summary>
    /// <summary>What input waits for, one line per stream thread that waits (an unavailable schema registry); empty when nothing waits.</summary>
    public IReadOnlyList<string> WaitingFor => [.. _threads.Select(t => t.WaitingFor).OfType<string>()];

    public StreamsState State =>
        _threads.Any(t => t.State == StreamsState.Failed) ? StreamsState.Failed : _threads.Min(t => t.State);

    /// <summary>Runs every thread until <paramref name="cancellationToken"/> is cancelled or one of them fails.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var subscribing = new Barrier(_threads.Length);
        var running = _threads.Select(thread => Task.Factory.StartNew(
            () =>
            {
                try
                {
                    thread.Run(stopping.Token, subscribing);
                }
                catch (OperationCanceledException) when (stopping.IsCancellationRequested)
                {
                    // Stopped before it subscribed: a shutdown or another thread's failure, not its own.
                }
                catch
                {
                    stopping.Cancel();
                    throw;
                }
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default)).ToList();
        await Task.WhenAll(running).ConfigureAwait(false);
    }

    public void Dispose()
    {
        foreach (var thread in _threads)
        {
            thread.Dispose();
        }

        if (Directory.Exists(_stateDirectory))
        {
            Directory.Delete(_stateDirectory, recursive: true);
        }
    }
}
