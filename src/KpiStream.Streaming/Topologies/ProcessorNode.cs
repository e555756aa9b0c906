using KpiStream.Streaming.Processors;
using KpiStream.Streaming.Records;

namespace KpiStream.Streaming.Topologies;

internal sealed class ProcessorNode<TKey, TValue>(string name, IProcessor<TKey, TValue> processor) : IRuntimeNode
{
    public void Init(ITaskHost host) => processor.Init(host.ForNode(name));

    public void Receive(object record) =>
        processor.Process(record as Record<TKey, TValue>
            ?? throw new InvalidCastException($"Processor '{name}' expects Record<{typeof(TKey).Name}, {typeof(TValue).Name}> but was forwarded {record.GetType()}."));

    public void BeforeCommit() => (processor as ICommitListener)?.BeforeCommit();

    public void Close() => processor.Close();
}
