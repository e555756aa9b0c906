using KpiStream.Streaming.Processors;

namespace KpiStream.Streaming.Topologies;

/// <summary>What a task offers the nodes of its topology: a context per processor, and the output sinks write to.</summary>
internal interface ITaskHost
{
    IRecordOutput Output { get; }

    IProcessorContext ForNode(string nodeName);
}
