using System.Text;
using KpiStream.Streaming.Provisioning;
using KpiStream.Streaming.Stores;

namespace KpiStream.Streaming.Topologies;

/// <summary>An immutable description of processors, stores and topics, built by <see cref="TopologyBuilder"/>.</summary>
public sealed class Topology
{
    internal Topology(IReadOnlyList<SubTopology> subTopologies, IReadOnlyDictionary<string, StoreDefinition> stores)
    {
        SubTopologies = subTopologies;
        Stores = stores;
        SourceTopics = subTopologies.SelectMany(s => s.SourceTopics).ToArray();
    }

    public IReadOnlyList<SubTopology> SubTopologies { get; }

    internal IReadOnlyDictionary<string, StoreDefinition> Stores { get; }

    public IReadOnlyList<string> SourceTopics { get; }

    /// <summary>Topics a sink writes to every partition of: their partition counts are needed before the first record.</summary>
    internal IReadOnlyList<string> BroadcastTopics => [.. SubTopologies.SelectMany(s => s.Nodes).OfType<SinkDefinition>().Where(s => s.Broadcast).Select(s => s.Topic).Distinct()];

    /// <summary>The changelog topic of a store: compacted, one partition per task of its sub-topology.</summary>
    public static string ChangelogTopic(string applicationId, string storeName) => $"{applicationId}-{storeName}-changelog";

    /// <summary>Every changelog topic, with the partition count of the sub-topology's source topics.</summary>
    public IReadOnlyList<TopicSpec> ChangelogTopics(string applicationId, Func<string, int> partitionsOfSourceTopic) =>
        SubTopologies
            .SelectMany(sub => sub.StoreNames.Select(store => new TopicSpec(
                ChangelogTopic(applicationId, store),
                partitionsOfSourceTopic(sub.SourceTopics[0]),
                Configs: new Dictionary<string, string> { ["cleanup.policy"] = "compact" })))
            .ToList();

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
