namespace KpiStream.Streaming.Topology;

/// <summary>A connected part of the topology, fed by its own source topics and run as one task per partition.</summary>
public sealed class SubTopology
{
    internal SubTopology(int id, IReadOnlyList<NodeDefinition> nodes)
    {
        Id = id;
        Nodes = nodes;
        SourceTopics = nodes.OfType<SourceDefinition>().SelectMany(s => s.Topics).Distinct().ToArray();
        SinkTopics = nodes.OfType<SinkDefinition>().Select(s => s.Topic).Distinct().ToArray();
        StoreNames = nodes.OfType<ProcessorDefinition>().SelectMany(p => p.Stores).Distinct().ToArray();
    }

    public int Id { get; }

    public IReadOnlyList<string> SourceTopics { get; }

    public IReadOnlyList<string> SinkTopics { get; }

    public IReadOnlyList<string> StoreNames { get; }

    internal IReadOnlyList<NodeDefinition> Nodes { get; }
}
