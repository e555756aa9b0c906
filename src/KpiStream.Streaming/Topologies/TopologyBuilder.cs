using System.Text.Json;
using KpiStream.Streaming.Processors;
using KpiStream.Streaming.Records;
using KpiStream.Streaming.Stores;

namespace KpiStream.Streaming.Topologies;

/// <summary>
/// Declares sources, processors, stores and sinks by name. Sources emit raw
/// <c>Record&lt;byte[]?, byte[]?&gt;</c>; decoding is the first processor's job so that it can
/// dead-letter what it cannot read with the original bytes.
/// </summary>
public sealed class TopologyBuilder
{
    private readonly List<NodeDefinition> _nodes = [];
    private readonly Dictionary<string, StoreDefinition> _stores = new(StringComparer.Ordinal);

    public TopologyBuilder AddSource(string name, params string[] topics)
    {
        if (topics.Length == 0)
        {
            throw new ArgumentException($"Source '{name}' needs at least one topic.", nameof(topics));
        }

        return Add(new SourceDefinition(name, topics));
    }

    public TopologyBuilder AddProcessor<TKey, TValue>(string name, Func<IProcessor<TKey, TValue>> supplier, params string[] parents) =>
        Add(new ProcessorDefinition(name, RequireParents(name, parents), () => new ProcessorNode<TKey, TValue>(name, supplier()), []));

    public TopologyBuilder AddSink<TKey, TValue>(string name, string topic, Func<TKey, byte[]?> serializeKey, Func<TValue, byte[]?> serializeValue, params string[] parents) =>
        Add(new SinkDefinition(name, RequireParents(name, parents), topic, Broadcast: false, () => new SinkNode<TKey, TValue>(name, topic, false, serializeKey, serializeValue)));

    /// <summary>A sink that writes every record to all partitions of <paramref name="topic"/>, e.g. to carry stream time to every downstream task.</summary>
    public TopologyBuilder AddBroadcastSink<TKey, TValue>(string name, string topic, Func<TKey, byte[]?> serializeKey, Func<TValue, byte[]?> serializeValue, params string[] parents) =>
        Add(new SinkDefinition(name, RequireParents(name, parents), topic, Broadcast: true, () => new SinkNode<TKey, TValue>(name, topic, true, serializeKey, serializeValue)));

    public TopologyBuilder AddStateStore(StoreDefinition store, params string[] processorNames)
    {
        if (!_stores.TryAdd(store.Name, store))
        {
            throw new ArgumentException($"A store named '{store.Name}' is already declared.", nameof(store));
        }

        foreach (var processorName in processorNames)
        {
            var processor = _nodes.OfType<ProcessorDefinition>().SingleOrDefault(p => p.Name == processorName)
                ?? throw new ArgumentException($"Store '{store.Name}' is connected to unknown processor '{processorName}'.", nameof(processorNames));
            processor.Stores.Add(store.Name);
        }

        return this;
    }

    public Topology Build()
    {
        // Union-find over parent links: each connected component is a sub-topology.
        var component = _nodes.ToDictionary(n => n.Name, n => n.Name, StringComparer.Ordinal);
        string Find(string name) => component[name] == name ? name : component[name] = Find(component[name]);
        foreach (var node in _nodes)
        {
            foreach (var parent in node.Parents)
            {
                component[Find(node.Name)] = Find(parent);
            }
        }

        var subTopologies = _nodes
            .GroupBy(n => Find(n.Name))
            .Select((group, index) => new SubTopology(index, group.ToArray()))
            .ToArray();
        foreach (var sub in subTopologies.Where(s => s.SourceTopics.Count == 0))
        {
            throw new InvalidOperationException($"Sub-topology {sub.Id} ({string.Join(", ", sub.Nodes.Select(n => n.Name))}) has no source.");
        }

        var doubleRead = subTopologies.SelectMany(s => s.SourceTopics.Select(t => (Topic: t, s.Id))).GroupBy(x => x.Topic).FirstOrDefault(g => g.Count() > 1);
        if (doubleRead is not null)
        {
            throw new InvalidOperationException($"Topic '{doubleRead.Key}' feeds more than one sub-topology.");
        }

        var stores = _stores.ToDictionary(StringComparer.Ordinal);
        foreach (var sub in subTopologies)
        {
            stores[sub.CheckpointStore] = StoreDefinition.KeyValue(sub.CheckpointStore, Utf8KeySerde.Instance, new JsonStoreSerde<long>(JsonSerializerOptions.Default));
        }

        return new Topology(subTopologies, stores);
    }

    private TopologyBuilder Add(NodeDefinition node)
    {
        if (_nodes.Any(n => n.Name == node.Name))
        {
            throw new ArgumentException($"A node named '{node.Name}' is already declared.", nameof(node));
        }

        var unknown = node.Parents.FirstOrDefault(p => _nodes.All(n => n.Name != p));
        if (unknown is not null)
        {
            throw new ArgumentException($"Node '{node.Name}' names unknown parent '{unknown}'; declare parents first.", nameof(node));
        }

        if (node.Parents.Any(p => _nodes.Single(n => n.Name == p) is SinkDefinition))
        {
            throw new ArgumentException($"Node '{node.Name}' cannot have a sink as its parent.", nameof(node));
        }

        _nodes.Add(node);
        return this;
    }

    private static string[] RequireParents(string name, string[] parents) =>
        parents.Length > 0 ? parents : throw new ArgumentException($"Node '{name}' needs at least one parent.", nameof(parents));
}
