using Confluent.Kafka;
using KpiStream.Core.Events;
using KpiStream.Core.Kpis;
using KpiStream.Serialization.Avro;
using KpiStream.Serialization.Mapping;

namespace KpiStream.TestSupport;

/// <summary>
/// A seeded input over the sample journeys with its expected KPI windows: sessions keyed by
/// session id, then one closer per partition that moves every partition's stream time past the
/// conversion horizon of every input window.
/// </summary>
public sealed class SyntheticInput
{
    private readonly int _partitions;

    public SyntheticInput(int sessions, int seed, TimeSpan spread, int partitions, bool duplicateEverything = false)
    {
        _partitions = partitions;
        // A minute ahead of now: inside the accepted event-time range and ahead of any idle advance.
        Start = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 60_000 * 60_000).AddMinutes(1);
        var events = SyntheticTraffic.Generate(seed, sessions, Start, spread);
        Events = duplicateEverything ? events.SelectMany(e => new[] { e, e }).ToList() : events;
        // Outcomes come up to 150 s after a start; checkout's horizon is 10 min + one window + grace after the window.
        ClosersAt = Start + spread + TimeSpan.FromMinutes(3 + 13);
        Expected = KpiOracle.Expect(Events, SampleJourneys.Catalog, TimeSpan.FromMinutes(1));
    }

    public DateTimeOffset Start { get; }

    public DateTimeOffset ClosersAt { get; }

    public IReadOnlyList<DomainEvent> Events { get; }

    public IReadOnlyDictionary<string, KpiWindow> Expected { get; }

    /// <summary>Input events plus closers.</summary>
    public int RecordCount => Events.Count + _partitions;

    public void Produce(string bootstrapServers, string topic)
    {
        var codec = new AvroCodec<DomainEvent>(new DomainEventMapper(TestSchemas.Set.DomainEvent), TestSchemas.NewRegistry(), topic);
        using var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig
        {
            BootstrapServers = bootstrapServers,
            EnableIdempotence = true,
            LingerMs = 20,
            QueueBufferingMaxMessages = 10_000_000,
            Partitioner = Partitioner.Murmur2,
        }).Build();
        foreach (var e in Events)
        {
            producer.Produce(topic, new Message<string, byte[]> { Key = e.SessionId, Value = codec.Encode(e) });
        }

        for (var partition = 0; partition < _partitions; partition++)
        {
            var closer = TestSupport.Events.Of($"closer-{partition}", "login_attempted", "login", $"closer-{partition}", ClosersAt, region: KpiTableComparison.CloserSegment.Split('=')[1]);
            producer.Produce(new TopicPartition(topic, partition), new Message<string, byte[]> { Key = closer.SessionId, Value = codec.Encode(closer) });
        }

        producer.Flush(TimeSpan.FromSeconds(60));
    }
}
