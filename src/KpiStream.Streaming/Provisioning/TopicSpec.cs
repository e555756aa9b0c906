namespace KpiStream.Streaming.Provisioning;

/// <summary>A topic the application needs, with its partition count and topic-level configs (e.g. cleanup.policy).</summary>
public sealed record TopicSpec(string Name, int Partitions, short ReplicationFactor = 1, IReadOnlyDictionary<string, string>? Configs = null);
