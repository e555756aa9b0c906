using KpiStream.Streaming.Topologies;
using System.Collections.Immutable;
using Confluent.Kafka;
using KpiStream.Streaming.Processors;
using KpiStream.Streaming.Records;
using KpiStream.Streaming.Runtime;
using KpiStream.Streaming.Stores;

namespace KpiStream.Streaming.TestUtils;

/// <summary>
/// Runs a topology synchronously without a broker, as Kafka Streams' TopologyTestDriver does:
/// records piped in are processed at once, records written to a topic that the topology also
/// reads (repartition topics) are processed in turn, everything else is captured per topic.
/// For tests of processor logic; the runtime's Kafka behaviour is tested against a broker.
/// </summary>
public sealed class TopologyTestDriver : IRecordOutput, IDisposable
{
    private readonly Topology _topology;
    private readonly IReadOnlyDictionary<string, int> _partitions;
    private readonly TimeProvider _clock;
    private readonly Dictionary<(string Topic, int Partition), StreamTask> _tasks = [];
    private readonly Queue<OutgoingRecord> _pending = new();
    private readonly Dictionary<string, List<OutgoingRecord>> _outputs = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Topic, int Partition), List<OutgoingRecord>> _logs = [];
    private readonly Dictionary<(string Topic, int Partition, string Store), List<ChangelogEntry>> _changelogs = [];

    /// <param name="partitions">Partition count of every topic the topology reads or writes.</param>
    public TopologyTestDriver(Topology topology, IReadOnlyDictionary<string, int> partitions, TimeProvider clock)
    {
        _topology = topology;
        _partitions = partitions;
        _clock = clock;
        StartTasks();
    }

    /// <summary>
    /// Closes every task and starts it afresh from what its stores' changelogs hold as of the last
    /// <see cref="Commit"/>, as a task does when it is assigned again after a crash or a rebalance:
    /// what was processed since is lost from the state (its outputs stay written; <see cref="Replay"/>
    /// delivers its input again).
    /// </summary>
    public void Restart()
    {
        foreach (var task in _tasks.Values)
        {
            task.Dispose();
        }

        StartTasks();
    }

    public void Pipe(string topic, int partition, byte[]? key, byte[]? value, DateTimeOffset timestamp, ImmutableArray<RecordHeader> headers = default)
    {
        Deliver(new OutgoingRecord(topic, partition, key, value, timestamp, headers.IsDefault ? [] : headers));
        Drain();
    }

    /// <summary>Runs wall-clock punctuation of every task at the clock's current time.</summary>
    public void PunctuateWallClock()
    {
        var now = _clock.GetUtcNow();
        foreach (var task in _tasks.Values)
        {
            task.Punctuate(PunctuationType.WallClockTime, now);
        }

        Drain();
    }

    /// <summary>
    /// Delivers again, with their original offsets, the records of a partition from
    /// <paramref name="fromOffset"/> on: what a task sees when it resumes from an older position
    /// than its state reflects.
    /// </summary>
    public void Replay(string topic, int partition, long fromOffset)
    {
        var log = _logs.GetValueOrDefault((topic, partition)) ?? [];
        for (var offset = fromOffset; offset < log.Count; offset++)
        {
            Process(log[(int)offset], partition, offset);
        }

        Drain();
    }

    /// <summary>Runs what the runtime does before a commit: processors forward what they buffered.</summary>
    public void Commit()
    {
        foreach (var task in _tasks.Values)
        {
            task.BeforeCommit();
        }

        Drain();
        foreach (var ((topic, partition), task) in _tasks)
        {
            foreach (var store in task.ChangeLoggedStores)
            {
                // The changelog of each store is kept here, not in topics, for Restart.
                if (!_changelogs.TryGetValue((topic, partition, store.Name), out var changelog))
                {
                    _changelogs[(topic, partition, store.Name)] = changelog = [];
                }

                store.Flush(changelog.Add);
            }
        }
    }

    /// <summary>Records written to <paramref name="topic"/> so far, in order.</summary>
    public IReadOnlyList<OutgoingRecord> Output(string topic) =>
        _outputs.TryGetValue(topic, out var records) ? records : [];

    public void Dispose()
    {
        foreach (var task in _tasks.Values)
        {
            task.Dispose();
        }
    }

    void IRecordOutput.Send(OutgoingRecord record) => _pending.Enqueue(record);

    int IRecordOutput.PartitionCount(string topic) => PartitionCountOf(topic);

    private void StartTasks()
    {
        foreach (var sub in _topology.SubTopologies)
        {
            foreach (var topic in sub.SourceTopics)
            {
                for (var partition = 0; partition < PartitionCountOf(topic); partition++)
                {
                    var task = new StreamTask(new TaskId(sub.Id, partition), sub, _topology, this, _clock, stateDirectory: null);
                    foreach (var store in task.ChangeLoggedStores)
                    {
                        foreach (var entry in _changelogs.GetValueOrDefault((topic, partition, store.Name)) ?? [])
                        {
                            store.Restore(entry);
                        }
                    }

                    task.Initialize();
                    _tasks[(topic, partition)] = task;
                }
            }
        }
    }

    private int PartitionCountOf(string topic) =>
        _partitions.TryGetValue(topic, out var count) ? count : throw new ArgumentException($"No partition count given for topic '{topic}'.");

    private void Drain()
    {
        while (_pending.TryDequeue(out var record))
        {
            if (!_outputs.TryGetValue(record.Topic, out var list))
            {
                _outputs[record.Topic] = list = [];
            }

            list.Add(record);
            if (_topology.SourceTopics.Contains(record.Topic))
            {
                Deliver(record);
            }
        }
    }

    private void Deliver(OutgoingRecord record)
    {
        var partition = record.Partition ?? StablePartition(record.Key, PartitionCountOf(record.Topic));
        if (!_logs.TryGetValue((record.Topic, partition), out var log))
        {
            _logs[(record.Topic, partition)] = log = [];
        }

        log.Add(record);
        Process(record, partition, log.Count - 1);
    }

    private void Process(OutgoingRecord record, int partition, long offset)
    {
        var task = _tasks[(record.Topic, partition)];
        var headers = new Headers();
        foreach (var header in record.Headers)
        {
            headers.Add(header.Key, header.Value);
        }

        task.Process(new ConsumeResult<byte[]?, byte[]?>
        {
            Topic = record.Topic,
            Partition = new Partition(partition),
            Offset = new Offset(offset),
            Message = new Message<byte[]?, byte[]?> { Key = record.Key, Value = record.Value, Timestamp = new Timestamp(record.Timestamp), Headers = headers },
        });
    }

    private static int StablePartition(byte[]? key, int partitions)
    {
        // FNV-1a: stable across processes, unlike string.GetHashCode.
        var hash = 2166136261u;
        foreach (var b in key ?? [])
        {
            hash = (hash ^ b) * 16777619u;
        }

        return (int)(hash % (uint)partitions);
    }
}
