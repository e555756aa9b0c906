using System.Text;
using KpiStream.Streaming.Stores;

namespace KpiStream.Streaming.Topology;

/// <summary>An immutable description of processors, stores and topics, built by <see cref="TopologyBuilder"/>.</summary>
public sealed class Topology
{
    internal Topology(IReadOnlyList<SubTopology> subTopologies, IReadOnlyDictionary<string, StoreDefinition> stores)
    {
        SubTopologies = subTopologies;
        Stores = stores;
    }

    public IReadOnlyList<SubTopology> SubTopologies { get; }

    internal IReadOnlyDictionary<string, StoreDefinition> Stores { get; }

    public IReadOnlyList<string> SourceTopics => SubTopologies.SelectMany(s => s.SourceTopics).ToArray();

    public SubTopology SubTopologyOf(string sourceTopic) =>
        SubTopologies.FirstOrDefault(s => s.SourceTopics.Contains(sourceTopic))
        ?? throw new ArgumentException($"Topic '{sourceTopic}' is not a source of this topology.", nameof(sourceTopic));

    public string Describe()
    {
        var text = new StringBuilder();
        foreach (var sub in SubTopologies)
        {
            text.AppendLine($"Sub-topology {sub.Id}: {string.Join(", ", sub.SourceTopics)} -> {string.Join(", ", sub.SinkTopics)}");
            foreach (var node in sub.Nodes)
            {
                text.AppendLine($"  {node.GetType().Name.Replace("Definition", "", StringComparison.Ordinal)} {node.Name} <- [{string.Join(", ", node.Parents)}]");
            }
        }

        return text.ToString();
    }
}
