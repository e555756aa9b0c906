using System.Collections.Immutable;
using KpiStream.Streaming.Records;

namespace KpiStream.Streaming.Topologies;

/// <summary>A serialized record on its way to a topic; a null partition lets the partitioner choose by key.</summary>
public sealed record OutgoingRecord(string Topic, int? Partition, byte[]? Key, byte[]? Value, DateTimeOffset Timestamp, ImmutableArray<RecordHeader> Headers);
