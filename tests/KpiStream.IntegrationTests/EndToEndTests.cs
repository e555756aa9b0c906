using System.Globalization;
using System.Text;
using Confluent.Kafka;
using KpiStream.Core.Events;
using KpiStream.Core.Kpis;
using KpiStream.Core.Privacy;
using KpiStream.EmbeddedKafka;
using KpiStream.IntegrationTests.Support;
using KpiStream.Processor.Conventions;
using KpiStream.Processor.Hosting;
using KpiStream.Serialization;
using KpiStream.Serialization.Avro;
using KpiStream.Serialization.Mapping;
using KpiStream.Serialization.Registry;
using KpiStream.TestSupport;

namespace KpiStream.IntegrationTests;

/// <summary>
/// Hand-written events through the Confluent wire format into the processor on the embedded Kafka;
/// every field of every KPI and dead-letter record checked against values worked out below.
/// The input is produced in phases, each waiting for the previous one's effect, so that which
/// records are late does not depend on how the consumer interleaves partitions.
/// </summary>
public sealed class EndToEndTests : IAsyncLifetime
{
    private const string PseudonymizationKey = "end-to-end-test-key-0123456789";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    // Ten minutes ahead of now: inside the accepted event-time range, and far from the wall-clock idle advance.
    private static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 60_000 * 60_000).AddMinutes(10);

    private readonly TopicNames _topics = new();
    private readonly EmbeddedSchemaRegistry _registry = TestSchemas.NewRegistry();
    private readonly CancellationTokenSource _stop = new();
    private readonly StringWriter _output = new();
    private EmbeddedKafkaCluster _cluster = null!;
    private IProducer<string?, byte[]?> _producer = null!;
    private AvroCodec<DomainEvent> _events = null!;
    private Task<int> _app = null!;

    public async Task InitializeAsync()
    {
        _cluster = EmbeddedKafkaCluster.Start(brokerCount: 3);
        foreach (var topic in _topics.Required("e2e", 3))
        {
            _cluster.CreateTopic(topic.Name, topic.Partitions, 3);
        }

        _producer = new ProducerBuilder<string?, byte[]?>(new ProducerConfig { BootstrapServers = _cluster.BootstrapServers, EnableIdempotence = true }).Build();
        _events = new AvroCodec<DomainEvent>(new DomainEventMapper(TestSchemas.Set.DomainEvent), _registry, _topics.DomainEvents);
        var options = new RunOptions
        {
            ConfigPath = SampleJourneys.WriteToTempFile(),
            BootstrapServers = _cluster.BootstrapServers,
            ApplicationId = "e2e",
            InputPartitions = 3,
            MetricsPort = 0,
            LiveView = false,
            PseudonymizationKey = PseudonymizationKey,
            Kpi = new() { Grace = TimeSpan.FromSeconds(10) },
        };
        _app = KpiStreamApp.RunAsync(options, TextWriter.Synchronized(_output), _stop.Token);
        var deadline = DateTime.UtcNow + Wait;
        while (!_output.ToString().Contains("Metrics on", StringComparison.Ordinal) && DateTime.UtcNow < deadline && !_app.IsCompleted)
        {
            await Task.Delay(50);
        }
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await _app.WaitAsync(TimeSpan.FromSeconds(30));
        _producer.Dispose();
        _cluster.Dispose();
    }

    [Fact]
    public async Task Valid_duplicate_late_and_malformed_events_give_exactly_the_hand_computed_kpis_and_dead_letters()
    {
        // Phase 1, all in minute 0. Checkout eu-west/web: s1 starts and succeeds (1999 EUR), s2 starts and fails,
        // e3 is sent twice. Checkout us-east/ios: s3 starts. Login eu-west: s4 attempts and succeeds.
        var e3 = Events.Of("e3", "checkout_completed", "checkout", "s1", T0.AddSeconds(20), amount: 1999, currency: "EUR", user: "alice");
        Produce(
            Events.Of("e1", "checkout_started", "checkout", "s1", T0.AddSeconds(5), user: "alice"),
            Events.Of("e2", "checkout_started", "checkout", "s2", T0.AddSeconds(10), user: "bob"),
            e3,
            Events.Of("e4", "checkout_failed", "checkout", "s2", T0.AddSeconds(30), user: "bob"),
            Events.Of("e5", "checkout_started", "checkout", "s3", T0.AddSeconds(40), region: "us-east", device: "ios", user: "carol"),
            e3,
            Events.Of("e6", "login_attempted", "login", "s4", T0.AddSeconds(15), user: "dave"),
            Events.Of("e7", "login_succeeded", "login", "s4", T0.AddSeconds(16), user: "dave"));
        var malformed = new (string Key, byte[]? Value, string Reason)[]
        {
            ("bad-1", "{\"event_id\":\"x\"}"u8.ToArray(), "not-wire-format"),
            ("bad-2", _events.Encode(Events.Of("b2", "checkout_started", null, "b2", T0)), "missing-journey"),
            ("bad-3", _events.Encode(Events.Of("b3", "checkout_exploded", "checkout", "b3", T0)), "unknown-event-type"),
            ("bad-4", _events.Encode(Events.Of("b4", "checkout_started", "checkout", "b4", T0.AddDays(-30))), "timestamp-out-of-range"),
            ("bad-5", _events.Encode(Events.Of("b5", "checkout_started", "refund", "b5", T0)), "unknown-journey"),
            ("bad-6", null, "empty-value"),
            ("bad-7", WireFormat.Frame(424_242, _events.Encode(Events.Of("b7", "checkout_started", "checkout", "b7", T0)).AsSpan(WireFormat.HeaderLength)), "unknown-schema"),
        };
        var positions = malformed.ToDictionary(m => m.Key, m => ProduceRaw(m.Key, m.Value, [new("origin", "test"u8.ToArray())]));
        await TopicReader.WaitUntilAsync(_cluster.BootstrapServers, TopicNames.Repartition("e2e"), r => r.Count(IsEvent) == 8, Wait, "the 8 valid phase-1 events");

        // Phase 2: s3 succeeds in minute 1 (500 USD) and so converts in minute 0; stream time passes minute 0's end + grace.
        Produce(Events.Of("e8", "checkout_completed", "checkout", "s3", T0.AddSeconds(90), region: "us-east", device: "ios", amount: 500, currency: "USD", user: "carol"));
        await WaitForTableAsync(t => t.Count == 3, "the three minute-0 windows");

        // Phase 3: a start in minute 0 after it closed (late), and e3 a third time (duplicate).
        Produce(Events.Of("e9", "checkout_started", "checkout", "s5", T0.AddSeconds(50), user: "erin"), e3);
        await WaitForTableAsync(t => t.Values.Any(w => w.Counters.LateRecords == 1 && w.Counters.DuplicateRecords == 2), "the late and duplicate records");

        // Phase 4: stream time passes minute 1's end + grace; minute 3 stays open.
        Produce(Events.Of("e10", "login_attempted", "login", "s6", T0.AddMinutes(3), user: "frank"));
        var table = await WaitForTableAsync(t => t.Count == 4, "the minute-1 window");

        string Key(string journey, string segment, int minute) => $"{journey}|{segment}|{T0.AddMinutes(minute).ToUnixTimeMilliseconds()}|60000";
        Assert.Equal(
            new SortedDictionary<string, KpiCounters>
            {
                [Key("checkout", "device=web,region=eu-west", 0)] = new(Attempts: 2, Successes: 1, Failures: 1, SessionsStarted: 2, SessionsConverted: 1, CurrencyAmounts.Of("EUR", 1999), LateRecords: 1, DuplicateRecords: 2),
                [Key("checkout", "device=ios,region=us-east", 0)] = new(Attempts: 1, Successes: 0, Failures: 0, SessionsStarted: 1, SessionsConverted: 1, CurrencyAmounts.None, LateRecords: 0, DuplicateRecords: 0),
                [Key("login", "region=eu-west", 0)] = new(Attempts: 1, Successes: 1, Failures: 0, SessionsStarted: 1, SessionsConverted: 1, CurrencyAmounts.None, LateRecords: 0, DuplicateRecords: 0),
                [Key("checkout", "device=ios,region=us-east", 1)] = new(Attempts: 0, Successes: 1, Failures: 0, SessionsStarted: 0, SessionsConverted: 0, CurrencyAmounts.Of("USD", 500), LateRecords: 0, DuplicateRecords: 0),
            },
            new SortedDictionary<string, KpiCounters>(table.ToDictionary(kv => kv.Key, kv => kv.Value.Counters)));
        var web0 = table[Key("checkout", "device=web,region=eu-west", 0)];
        Assert.Equal(("checkout", T0, T0.AddMinutes(1), 0.5, 0.5), (web0.Journey, web0.Window.Start, web0.Window.End, web0.Counters.SuccessRate, web0.Counters.ConversionRate));
        Assert.Equal(["device", "region"], web0.Segment.Attributes.Keys);
        Assert.Equal(("ios", "us-east"), (table[Key("checkout", "device=ios,region=us-east", 1)].Segment.Attributes["device"], table[Key("checkout", "device=ios,region=us-east", 1)].Segment.Attributes["region"]));
        Assert.Null(table[Key("checkout", "device=ios,region=us-east", 1)].Counters.ConversionRate);

        var dead = TopicReader.ReadAll(_cluster.BootstrapServers, _topics.DeadLetter);
        Assert.Equal(malformed.Length, dead.Count);
        foreach (var (key, value, reason) in malformed)
        {
            var record = Assert.Single(dead, d => Encoding.UTF8.GetString(d.Message.Key!) == key);
            Assert.Equal(value, record.Message.Value);
            Assert.Equal(reason, Header(record, HeaderNames.DeadLetterReason));
            Assert.Equal(_topics.DomainEvents, Header(record, HeaderNames.SourceTopic));
            Assert.Equal(positions[key].Partition.Value.ToString(CultureInfo.InvariantCulture), Header(record, HeaderNames.SourcePartition));
            Assert.Equal(positions[key].Offset.Value.ToString(CultureInfo.InvariantCulture), Header(record, HeaderNames.SourceOffset));
            Assert.Equal("test", Header(record, "origin"));
            Assert.False(string.IsNullOrEmpty(Header(record, HeaderNames.DeadLetterDetail)));
        }

        var pseudonym = new Pseudonymizer(Encoding.UTF8.GetBytes(PseudonymizationKey)).Pseudonymize("alice");
        var forwarded = TopicReader.ReadAll(_cluster.BootstrapServers, TopicNames.Repartition("e2e")).Where(IsEvent).Select(r => _events.Decode(r.Message.Value).Value!).ToList();
        Assert.Equal(pseudonym, forwarded.First(e => e.EventId == "e1").UserId);
        Assert.DoesNotContain(forwarded, e => e.UserId is "alice" or "bob" or "carol");

        using var http = new HttpClient();
        var metrics = await http.GetStringAsync($"http://127.0.0.1:{Bootstrap.MetricsPort(_output.ToString())}/metrics");
        Assert.Contains("kpistream_late_records_total{journey=\"checkout\"} 1\n", metrics, StringComparison.Ordinal);
        Assert.Contains("kpistream_duplicate_records_total{journey=\"checkout\"} 2\n", metrics, StringComparison.Ordinal);
        foreach (var (_, _, reason) in malformed)
        {
            Assert.Contains($"kpistream_records_dead_lettered_total{{topic=\"domain-events\",reason=\"{reason}\"}} 1\n", metrics, StringComparison.Ordinal);
        }

        Assert.Contains("kpistream_records_consumed_total{topic=\"domain-events\"} 19\n", metrics, StringComparison.Ordinal);
    }

    private async Task<IReadOnlyDictionary<string, KpiWindow>> WaitForTableAsync(Func<IReadOnlyDictionary<string, KpiWindow>, bool> done, string what)
    {
        var codec = new AvroCodec<KpiWindow>(new KpiWindowMapper(TestSchemas.Set.KpiWindow), _registry, _topics.KpiWindowed);
        IReadOnlyDictionary<string, KpiWindow> AsTable(IReadOnlyList<ConsumeResult<byte[]?, byte[]?>> records) =>
            records.GroupBy(r => Encoding.UTF8.GetString(r.Message.Key!)).ToDictionary(g => g.Key, g => codec.Decode(g.Last().Message.Value).Value!);
        var records = await TopicReader.WaitUntilAsync(_cluster.BootstrapServers, _topics.KpiWindowed, r => done(AsTable(r)), Wait, what);
        return AsTable(records);
    }

    private void Produce(params DomainEvent[] events)
    {
        foreach (var e in events)
        {
            ProduceRaw(e.SessionId, _events.Encode(e), []);
        }
    }

    private TopicPartitionOffset ProduceRaw(string key, byte[]? value, Header[] headers)
    {
        var message = new Message<string?, byte[]?> { Key = key, Value = value, Headers = [.. headers] };
        return _producer.ProduceAsync(_topics.DomainEvents, message).GetAwaiter().GetResult().TopicPartitionOffset;
    }

    private static bool IsEvent(ConsumeResult<byte[]?, byte[]?> record) =>
        record.Message.Headers?.Any(h => h.Key == HeaderNames.StreamTimeTick) != true;

    private static string? Header(ConsumeResult<byte[]?, byte[]?> record, string name) =>
        record.Message.Headers.TryGetLastBytes(name, out var bytes) ? Encoding.UTF8.GetString(bytes) : null;
}
