namespace KpiStream.Streaming.Processors;

/// <summary>A unit of work: one partition of one sub-topology's source topics.</summary>
public readonly record struct TaskId(int SubTopology, int Partition)
{
    public override string ToString() => $"{SubTopology}_{Partition}";
}
