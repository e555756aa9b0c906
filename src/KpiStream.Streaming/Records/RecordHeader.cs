namespace KpiStream.Streaming.Records;

public sealed record RecordHeader(string Key, byte[] Value);
