namespace KpiStream.Streaming.Records;

/// <summary>Where the record being processed was read from.</summary>
public sealed record RecordMetadata(string Topic, int Partition, long Offset);
