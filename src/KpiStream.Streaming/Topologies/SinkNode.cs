using KpiStream.Streaming.Records;

namespace KpiStream.Streaming.Topologies;

/// <summary>Serializes records and hands them to the task's producer; a broadcast sink writes each record to every partition.</summary>
internal sealed class SinkNode<TKey, TValue>(string name, string topic, bool broadcast, Func<TKey, byte[]?> serializeKey, Func<TValue, byte[]?> serializeValue)
    : IRuntimeNode
{
    private IRecordOutput? _output;

    public void Init(ITaskHost host) => _output = host.Output;

    public void Receive(object record)
    {
        var typed = record as Record<TKey, TValue>
            ?? throw new InvalidCastException($"Sink '{name}' expects Record<{typeof(TKey).Name}, {typeof(TValue).Name}> but was forwarded {record.GetType()}.");
        var output = new OutgoingRecord(topic, null, serializeKey(typed.Key), serializeValue(typed.Value), typed.Timestamp, typed.Headers);
        var sink = _output!;
        if (!broadcast)
        {
            sink.Send(output);
            return;
        }

        for (var partition = 0; partition < sink.PartitionCount(topic); partition++)
        {
            sink.Send(output with { Partition = partition });
        }
    }

    public void BeforeCommit()
    {
    }

    public void Close()
    {
    }
}
