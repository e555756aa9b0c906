using System.Collections.Immutable;
using Confluent.Kafka;
using KpiStream.Streaming.Processors;
using KpiStream.Streaming.Records;
using KpiStream.Streaming.Stores;
using KpiStream.Streaming.Topology;

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

    public StreamTask(TaskId id, SubTopology subTopology, Topology.Topology topology, IRecordOutput output, TimeProvider clock)
    {
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

        foreach (var storeName in subTopology.StoreNames)
        {
            _stores[storeName] = topology.Stores[storeName].Create();
        }

        var context = new TaskProcessorContext(this, output);
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
        var fired = 0;
        _punctuations.RemoveAll(p => p.Cancelled);
        foreach (var punctuation in _punctuations.Where(p => p.Type == type).ToArray())
        {
            if (punctuation.MaybeFire(now))
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
