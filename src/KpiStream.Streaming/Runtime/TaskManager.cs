using Confluent.Kafka;
using KpiStream.Streaming.Processors;
using KpiStream.Streaming.Topologies;
using Microsoft.Extensions.Logging;

namespace KpiStream.Streaming.Runtime;

/// <summary>
/// The tasks of one stream thread, as Kafka Streams' task manager: creates a task for each
/// assigned partition, restores it from its changelogs in slices between the thread's batches,
/// starts it at its checkpoint, and closes it when its partition is revoked or lost or its state
/// must be rebuilt. A partition's input stays paused from assignment until its task runs.
/// </summary>
internal sealed class TaskManager : IDisposable
{
    // librdkafka's fetcher wakes by itself at least once a second: a wake-up that takes longer saves nothing.
    private static readonly TimeSpan FetcherWakeUpTimeout = TimeSpan.FromSeconds(1);

    private readonly int _threadIndex;
    private readonly Topology _topology;
    private readonly IConsumer<byte[]?, byte[]?> _consumer;
    private readonly IRecordOutput _output;
    private readonly TaskRestorer _restorer;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly string _stateDirectory;
    private readonly Dictionary<TopicPartition, StreamTask> _running = [];

    // Partitions assigned whose tasks are yet to be created.
    private readonly List<TopicPartition> _assigned = [];

    /// <param name="stateDirectory">The thread's own root for its tasks' stores: a task moving between threads of one instance never meets a directory still in use.</param>
    public TaskManager(int threadIndex, Topology topology, IConsumer<byte[]?, byte[]?> consumer, IRecordOutput output, TaskRestorer restorer, TimeProvider clock, ILogger logger, string stateDirectory)
    {
        _threadIndex = threadIndex;
        _topology = topology;
        _consumer = consumer;
        _output = output;
        _restorer = restorer;
        _clock = clock;
        _logger = logger;
        _stateDirectory = stateDirectory;
    }

    public IReadOnlyDictionary<TopicPartition, StreamTask> Running => _running;

    /// <summary>Running, restoring, and assigned but not yet created.</summary>
    public int Count => _running.Count + _restorer.Count + _assigned.Count;

    public bool IsRestoring => _restorer.Count > 0 || _assigned.Count > 0;

    /// <summary>Whether the partition's task is yet to run: a record fetched for it before its pause is read again from its checkpoint.</summary>
    public bool IsPending(TopicPartition partition) => _assigned.Contains(partition) || _restorer.Contains(partition);

    /// <summary>Only registers the partitions: <see cref="Restore"/>, called from the poll loop, creates and restores their tasks.</summary>
    public void Register(IEnumerable<TopicPartition> partitions) => _assigned.AddRange(partitions);

    /// <summary>Creates the tasks of newly assigned partitions, restores a slice of their changelogs, and starts the tasks that are restored.</summary>
    /// <param name="resumeInput">False while back-pressure holds the input: the tasks start, their partitions resume with the others.</param>
    /// <param name="wait">How long the slice may wait for changelog records.</param>
    public void Restore(int maxRecords, TimeSpan wait, bool resumeInput, CancellationToken cancellationToken)
    {
        if (_assigned.Count > 0)
        {
            _consumer.Pause(_assigned);
            while (_assigned.Count > 0)
            {
                var partition = _assigned[^1];
                var subTopology = _topology.SubTopologyOf(partition.Topic);
                _restorer.Add(partition, new StreamTask(new TaskId(subTopology.Id, partition.Partition.Value), subTopology, _topology, _output, _clock, _stateDirectory), cancellationToken);
                _assigned.RemoveAt(_assigned.Count - 1);
            }
        }

        if (_restorer.Count == 0)
        {
            return;
        }

        var restored = _restorer.Restore(maxRecords, wait);
        foreach (var (partition, task) in restored)
        {
            Start(partition, task);
        }

        // Together, so that a broker too slow to wake the fetcher delays this round once, not once per task.
        if (restored.Count > 0 && resumeInput)
        {
            Resume([.. restored.Select(r => r.Key)]);
        }
    }

    /// <summary>Resumes the input of every running task (not of those still restoring: they resume their own).</summary>
    public void ResumeRunning() => Resume([.. _running.Keys]);

    /// <summary>Closes the tasks of the partitions; returns how many of them had one.</summary>
    public int Close(IReadOnlyList<TopicPartition> partitions)
    {
        var closed = 0;
        foreach (var partition in partitions)
        {
            if (_running.Remove(partition, out var task))
            {
                task.Dispose();
                closed++;
            }
            else if (_restorer.Remove(partition) || _assigned.Remove(partition))
            {
                closed++;
            }
        }

        return closed;
    }

    /// <summary>Throws away every running task's in-memory and local state, to be restored from the changelogs and resumed from the checkpoints.</summary>
    public IReadOnlyList<TopicPartition> RewindAll()
    {
        var partitions = _running.Keys.ToList();
        Close(partitions);
        _assigned.AddRange(partitions);
        return partitions;
    }

    public void CloseAll()
    {
        Close([.. _running.Keys]);
        _restorer.Clear();
        _assigned.Clear();
    }

    public void Dispose() => _restorer.Dispose();

    private void Start(TopicPartition partition, StreamTask task)
    {
        task.Initialize();
        _running[partition] = task;
        var position = new TopicPartitionOffset(partition, task.Checkpoints.TryGet(Checkpoints.Key(partition), out var offset) ? new Offset(offset + 1) : Offset.Beginning);
        _consumer.Seek(position);
        _logger.LogInformation("Stream thread {Thread} restored task {Task}; it resumes {TopicPartition} at {Offset}", _threadIndex, task.Id, partition, position.Offset);
    }

    /// <summary>
    /// Resumes fetching <paramref name="partitions"/> at once. librdkafka's fetcher learns of a resume
    /// only when its broker thread next wakes, up to a second later if it had nothing else to fetch
    /// (measured: a restored task's first record came 0.3-0.5 s after its resume, with input waiting).
    /// A request to each partition's leader wakes that thread.
    /// </summary>
    private void Resume(IReadOnlyList<TopicPartition> partitions)
    {
        _consumer.Resume(partitions);
        foreach (var partition in partitions)
        {
            try
            {
                _consumer.QueryWatermarkOffsets(partition, FetcherWakeUpTimeout);
            }
            catch (KafkaException e)
            {
                // The fetcher still wakes by itself; a broker this slow would fail the next partitions' requests too.
                _logger.LogDebug("Stream thread {Thread} could not wake the fetcher of {TopicPartition} ({Reason}); it starts within a second", _threadIndex, partition, e.Error.Reason);
                return;
            }
        }
    }
}
