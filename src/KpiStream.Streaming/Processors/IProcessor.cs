namespace KpiStream.Streaming.Processors;

using KpiStream.Streaming.Records;

/// <summary>
/// A node of the topology. The runtime creates one instance per task, calls <see cref="Init"/>
/// once before any record, <see cref="Process"/> per record, and <see cref="Close"/> when the task
/// is closed (rebalance or shutdown); Close may follow an Init whose task never saw a record.
/// </summary>
public interface IProcessor<TKey, TValue>
{
    void Init(IProcessorContext context);

    void Process(Record<TKey, TValue> record);

    void Close();
}
