namespace KpiStream.Streaming.Records;

/// <summary>Where the record being processed was read from. A value: the runtime sets one for every record it reads.</summary>
public readonly record struct RecordMetadata(string Topic, int Partition, long Offset);
