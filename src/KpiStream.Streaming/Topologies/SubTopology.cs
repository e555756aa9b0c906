namespace KpiStream.Streaming.Topologies;

/// <summary>A connected part of the topology, fed by its own source topics and run as one task per partition.</summary>
public sealed class SubTopology
{
    internal SubTopology(int id, IReadOnlyList<NodeDefinition> nodes)
    {
        Id = id;
        Nodes = nodes;
        SourceTopics = nodes.OfType<SourceDefinition>().SelectMany(s => s.Topics).Distinct().ToArray();
        SinkTopics = nodes.OfType<SinkDefinition>().Select(s => s.Topic).Distinct().ToArray();
        CheckpointStore = $"{nodes.OfType<SourceDefinition>().First().Name}-checkpoint";
        StoreNames = [.. nodes.OfType<ProcessorDefinition>().SelectMany(p => p.Stores).Distinct(), CheckpointStore];
    }

    /// <summary>The runtime's store of the task's input positions; last in <see cref="StoreNames"/>, so flushed last.</summary>
    public string CheckpointStore { get; }

    public int Id { get; }

    public IReadOnlyList<string> SourceTopics { get; }

    public IReadOnlyList<string> SinkTopics { get; }

    /// <summary>Stores of this sub-topology in declaration order, which is their flush order.</summary>
    public IReadOnlyList<string> StoreNames { get; }

    internal IReadOnlyList<NodeDefinition> Nodes { get; }
}
