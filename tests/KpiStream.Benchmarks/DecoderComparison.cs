using System.Diagnostics;
using Avro.Generic;
using Confluent.Kafka;
using Confluent.Kafka.SyncOverAsync;
using Confluent.SchemaRegistry;
using Confluent.SchemaRegistry.Serdes;
using KpiStream.Core.Events;
using KpiStream.Serialization.Avro;
using KpiStream.Serialization.Mapping;
using KpiStream.TestSupport;

namespace KpiStream.Benchmarks;

/// <summary>
/// The hot path's decoder of domain events against Confluent's AvroDeserializer (followed by the
/// same mapping to a DomainEvent, which the processor needs either way), on records Confluent's
/// AvroSerializer wrote. Thread CPU time and allocation per record, over rounds that alternate
/// between the two; the medians stand.
/// </summary>
internal static class DecoderComparison
{
    private const int Records = 100_000;
    private const int Rounds = 9;

    public static (Figures Ours, Figures Confluent) Run()
    {
        var mapper = new DomainEventMapper(TestSchemas.Set.DomainEvent);
        var codec = new AvroCodec<DomainEvent>(mapper, TestSchemas.NewRegistry(), "domain-events");
        using var registry = new CachedSchemaRegistryClient(new SchemaRegistryConfig { Url = TestSchemas.RegistryUrl.ToString() });
        var deserializer = new AvroDeserializer<GenericRecord>(registry).AsSyncOverAsync();
        var context = new SerializationContext(MessageComponentType.Value, "domain-events");
        var records = SyntheticTraffic.Generate(7, Records / 3, DateTimeOffset.UnixEpoch.AddDays(20_000), TimeSpan.FromHours(1)).Take(Records).Select(codec.Encode).ToArray();

        var ours = new List<Figures>();
        var confluent = new List<Figures>();
        for (var round = 0; round < Rounds; round++)
        {
            ours.Add(Measure(records, bytes => codec.Decode(bytes).Value!));
            confluent.Add(Measure(records, bytes => mapper.FromRecord(deserializer.Deserialize(bytes, isNull: false, context))));
        }

        return (Median(ours), Median(confluent));
    }

    private static Figures Measure(byte[][] records, Func<byte[], DomainEvent> decode)
    {
        long checksum = 0;
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var thread = Stopwatch.StartNew();
        foreach (var bytes in records)
        {
            checksum += decode(bytes).OccurredAt.Ticks;
        }

        thread.Stop();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        GC.KeepAlive(checksum);
        return new Figures(cpu.TotalNanoseconds / records.Length, thread.Elapsed.TotalNanoseconds / records.Length, (double)allocated / records.Length);
    }

    private static Figures Median(List<Figures> runs) =>
        new(runs.Select(r => r.CpuNsPerRecord).Order().ElementAt(runs.Count / 2), runs.Select(r => r.WallNsPerRecord).Order().ElementAt(runs.Count / 2), runs.Select(r => r.AllocatedBytesPerRecord).Order().ElementAt(runs.Count / 2));

    public sealed record Figures(double CpuNsPerRecord, double WallNsPerRecord, double AllocatedBytesPerRecord);
}
