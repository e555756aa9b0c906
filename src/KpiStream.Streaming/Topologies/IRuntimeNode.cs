
namespace KpiStream.Streaming.Topologies;

/// <summary>A node instance inside one task, receiving records of any type from its parents.</summary>
internal interface IRuntimeNode
{
    void Init(ITaskHost host);

    void Receive(object record);

    /// <summary>Called on every node, parents first, before the task's outputs and state are committed.</summary>
    void BeforeCommit();

    void Close();
}
