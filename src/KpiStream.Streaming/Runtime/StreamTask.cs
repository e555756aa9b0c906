using System.Collections.Immutable;
using Confluent.Kafka;
using KpiStream.Streaming.Processors;
using KpiStream.Streaming.Records;
using KpiStream.Streaming.Stores;
using KpiStream.Streaming.Topologies;

namespace KpiStream.Streaming.Runtime;

/// <summary>
/// Runs one partition of one sub-topology: owns its node instances, stores, punctuations and
/// stream time. Single-threaded: the runtime's thread is the only caller.
/// </summary>
internal sealed class StreamTask : IDisposable
{
    private readonly Dictionary<string, IRuntimeNode> _nodes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string[]> _children = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IReadOnlyList<string>> _storesOfNode = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IStateStore> _stores = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _sourceOfTopic = new(StringComparer.Ordinal);
    private readonly List<Punctuation> _punctuations = [];

    private readonly IRecordOutput _output;

    /// <param name="stateDirectory">Root of the task's RocksDB stores; null keeps them in memory.</param>
    public StreamTask(TaskId id, SubTopology subTopology, Topology topology, IRecordOutput output, TimeProvider clock, string? stateDirectory)
    {
        _output = output;
        Id = id;
        Clock = clock;
        foreach (var node in subTopology.Nodes)
        {
            _children[node.Name] = subTopology.Nodes.Where(n => n.Parents.Contains(node.Name)).Select(n => n.Name).ToArray();
            switch (node)
            {
                case SourceDefinition source:
                    foreach (var topic in source.Topics)
                    {
                        _sourceOfTopic[topic] = source.Name;
                    }

                    break;
                case ProcessorDefinition processor:
                    _nodes[processor.Name] = processor.Create();
                    _storesOfNode[processor.Name] = processor.Stores;
                    break;
                case SinkDefinition sink:
                    _nodes[sink.Name] = sink.Create();
                    break;
            }
        }

        if (stateDirectory is not null && Directory.Exists(Path.Combine(stateDirectory, id.ToString())))
        {
            // Local state is rebuilt from the changelog on every assignment: it may be behind or, after a crash, ahead.
            Directory.Delete(Path.Combine(stateDirectory, id.ToString()), recursive: true);
        }

        var context = new StoreContext(id, stateDirectory);
        foreach (var storeName in subTopology.StoreNames)
        {
            _stores[storeName] = topology.Stores[storeName].Create(context);
        }

        ChangeLoggedStores = _stores.Values.OfType<IChangeLoggedStore>().ToArray();
        Checkpoints = (IKeyValueStore<string, long>)_stores[subTopology.CheckpointStore];
    }

    /// <summary>The task's input positions, by "topic:partition", as of its last commit.</summary>
    public IKeyValueStore<string, long> Checkpoints { get; }

    /// <summary>The task's change-logged stores in declaration order, which is also their flush order.</summary>
    public IReadOnlyList<IChangeLoggedStore> ChangeLoggedStores { get; }

    /// <summary>Initializes the processors; call after restoring the stores, so they start from restored state.</summary>
    public void Initialize()
    {
        var context = new TaskProcessorContext(this, _output);
        foreach (var node in _nodes.Values)
        {
            node.Init(context);
        }
    }

    public TaskId Id { get; }

    public TimeProvider Clock { get; }

    public DateTimeOffset StreamTime { get; private set; } = DateTimeOffset.MinValue;

    public RecordMetadata? CurrentMetadata { get; private set; }

    public void Process(ConsumeResult<byte[]?, byte[]?> consumed)
    {
        var timestamp = DateTimeOffset.FromUnixTimeMilliseconds(consumed.Message.Timestamp.UnixTimestampMs);
        var streamTimeBefore = StreamTime;
        if (timestamp > StreamTime)
        {
            StreamTime = timestamp;
        }

        var headers = consumed.Message.Headers is { Count: > 0 } h
            ? h.Select(x => new RecordHeader(x.Key, x.GetValueBytes())).ToImmutableArray()
            : ImmutableArray<RecordHeader>.Empty;
        CurrentMetadata = new RecordMetadata(consumed.Topic, consumed.Partition.Value, consumed.Offset.Value);
        try
        {
            var record = new Record<byte[]?, byte[]?>(consumed.Message.Key, consumed.Message.Value, timestamp, headers);
            Forward(_sourceOfTopic[consumed.Topic], record, childName: null);
        }
        catch (DependencyUnavailableException)
        {
            // The record is processed again later, as if it had not been seen.
            StreamTime = streamTimeBefore;
            throw;
        }
        finally
        {
            CurrentMetadata = null;
        }

        Punctuate(PunctuationType.StreamTime, StreamTime);
    }

    /// <summary>Lets processors forward what they buffered; called by the runtime before it commits.</summary>
    public void BeforeCommit()
    {
        foreach (var node in _nodes.Values)
        {
            node.BeforeCommit();
        }
    }

    /// <returns>How many punctuators fired.</returns>
    public int Punctuate(PunctuationType type, DateTimeOffset now)
    {
        // Called for every record: no allocation. A punctuator may schedule another, so iterate by index over the current count.
        var fired = 0;
        _punctuations.RemoveAll(p => p.Cancelled);
        for (int i = 0, count = _punctuations.Count; i < count; i++)
        {
            if (_punctuations[i].Type == type && _punctuations[i].MaybeFire(now))
            {
                fired++;
            }
        }

        return fired;
    }

    public void Forward(string fromNode, object record, string? childName)
    {
        var children = _children[fromNode];
        if (childName is not null)
        {
            if (!children.Contains(childName))
            {
                throw new InvalidOperationException($"Node '{fromNode}' has no child named '{childName}'.");
            }

            _nodes[childName].Receive(record);
            return;
        }

        foreach (var child in children)
        {
            _nodes[child].Receive(record);
        }
    }

    public IDisposable AddPunctuation(Punctuation punctuation)
    {
        _punctuations.Add(punctuation);
        return punctuation;
    }

    public TStore GetStore<TStore>(string nodeName, string storeName)
        where TStore : IStateStore
    {
        if (!_storesOfNode.TryGetValue(nodeName, out var allowed) || !allowed.Contains(storeName))
        {
            throw new InvalidOperationException($"Processor '{nodeName}' is not connected to store '{storeName}'.");
        }

        return _stores[storeName] is TStore typed
            ? typed
            : throw new InvalidOperationException($"Store '{storeName}' is a {_stores[storeName].GetType().Name}, not a {typeof(TStore).Name}.");
    }

    public void Dispose()
    {
        foreach (var node in _nodes.Values)
        {
            node.Close();
        }

        foreach (var store in _stores.Values)
        {
            store.Close();
        }
    }
}
