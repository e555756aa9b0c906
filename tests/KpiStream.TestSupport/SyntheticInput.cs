using Confluent.Kafka;
using KpiStream.Core.Events;
using KpiStream.Core.Kpis;
using KpiStream.Core.Windows;
using KpiStream.Serialization.Avro;
using KpiStream.Serialization.Mapping;

namespace KpiStream.TestSupport;

/// <summary>
/// A seeded input over the sample journeys with its expected KPI windows (1 minute, 5 minutes and
/// an hour, the processor's defaults): sessions keyed by session id, then one closer per partition
/// that moves every partition's stream time past the conversion horizon of every input window.
/// </summary>
public sealed class SyntheticInput
{
    public static readonly TimeSpan[] WindowSizes = [TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromHours(1)];

    // Outcomes come up to 150 s after a start; checkout's horizon is 10 min + one minute + grace after a minute window.
    private static readonly TimeSpan LastOutcome = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan Horizon = TimeSpan.FromMinutes(13);

    private readonly int _partitions;

    public SyntheticInput(int sessions, int seed, TimeSpan spread, int partitions, bool duplicateEverything = false)
    {
        _partitions = partitions;
        // The input ends a minute before an hour boundary chosen so that the closers, past that
        // hour's horizon, are still within the hour ahead of now the processor accepts.
        var now = DateTimeOffset.UtcNow;
        var lastHourEnd = TumblingWindow.Containing(now + TimeSpan.FromHours(1) - Horizon - TimeSpan.FromMinutes(5), TimeSpan.FromHours(1)).Start;
        Start = TumblingWindow.Containing(lastHourEnd - spread - LastOutcome - TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1)).Start;
        var events = SyntheticTraffic.Generate(seed, sessions, Start, spread);
        Events = duplicateEverything ? events.SelectMany(e => new[] { e, e }).ToList() : events;
        ClosersAt = lastHourEnd + Horizon;
        Expected = KpiOracle.Expect(Events, SampleJourneys.Catalog, WindowSizes);
    }

    public DateTimeOffset Start { get; }

    public DateTimeOffset ClosersAt { get; }

    public IReadOnlyList<DomainEvent> Events { get; }

    public IReadOnlyDictionary<string, KpiWindow> Expected { get; }

    /// <summary>Input events plus closers.</summary>
    public int RecordCount => Events.Count + _partitions;

    public void Produce(string bootstrapServers, string topic) => Produce(bootstrapServers, topic, Range.All, withClosers: true);

    /// <summary>How many of the events (in event-time order) happen before <paramref name="at"/>.</summary>
    public int CountBefore(DateTimeOffset at) => Events.TakeWhile(e => e.OccurredAt < at).Count();

    /// <summary>Produces <paramref name="events"/> of <see cref="Events"/>, then the closers if asked.</summary>
    public void Produce(string bootstrapServers, string topic, Range events, bool withClosers)
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
        var (offset, length) = events.GetOffsetAndLength(Events.Count);
        foreach (var e in Events.Skip(offset).Take(length))
        {
            producer.Produce(topic, new Message<string, byte[]> { Key = e.SessionId, Value = codec.Encode(e) });
        }

        for (var partition = 0; withClosers && partition < _partitions; partition++)
        {
            var closer = TestSupport.Events.Of($"closer-{partition}", "login_attempted", "login", $"closer-{partition}", ClosersAt, region: KpiTableComparison.CloserSegment.Split('=')[1]);
            producer.Produce(new TopicPartition(topic, partition), new Message<string, byte[]> { Key = closer.SessionId, Value = codec.Encode(closer) });
        }

        producer.Flush(TimeSpan.FromSeconds(60));
    }
}
