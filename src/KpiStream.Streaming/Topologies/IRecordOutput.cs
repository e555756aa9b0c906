namespace KpiStream.Streaming.Topologies;

/// <summary>Where sinks deliver serialized records: the runtime's producer.</summary>
internal interface IRecordOutput
{
    void Send(OutgoingRecord record);

    int PartitionCount(string topic);
}
