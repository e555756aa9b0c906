namespace KpiStream.Streaming.Topologies;

/// <summary>A node as declared in the topology; the runtime instantiates it once per task.</summary>
internal abstract record NodeDefinition(string Name, IReadOnlyList<string> Parents);

internal sealed record SourceDefinition(string Name, IReadOnlyList<string> Topics) : NodeDefinition(Name, []);

internal sealed record ProcessorDefinition(string Name, IReadOnlyList<string> Parents, Func<IRuntimeNode> Create, List<string> Stores)
    : NodeDefinition(Name, Parents);

internal sealed record SinkDefinition(string Name, IReadOnlyList<string> Parents, string Topic, bool Broadcast, Func<IRuntimeNode> Create)
    : NodeDefinition(Name, Parents);
