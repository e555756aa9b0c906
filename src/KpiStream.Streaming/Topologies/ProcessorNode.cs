using KpiStream.Streaming.Processors;
using KpiStream.Streaming.Records;
using KpiStream.Streaming.Runtime;

namespace KpiStream.Streaming.Topologies;

internal sealed class ProcessorNode<TKey, TValue>(string name, IProcessor<TKey, TValue> processor) : IRuntimeNode
{
    public void Init(TaskProcessorContext context) => processor.Init(context.ForNode(name));

    public void Receive(object record) =>
        processor.Process(record as Record<TKey, TValue>
            ?? throw new InvalidCastException($"Processor '{name}' expects Record<{typeof(TKey).Name}, {typeof(TValue).Name}> but was forwarded {record.GetType()}."));

    public void BeforeCommit() => (processor as ICommitListener)?.BeforeCommit();

    public void Close() => processor.Close();
}
