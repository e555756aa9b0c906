using System.Globalization;
using System.Text;
using Confluent.Kafka;
using KpiStream.Core.Events;
using KpiStream.Core.Kpis;
using KpiStream.EmbeddedKafka;
using KpiStream.TestSupport;
using KpiStream.Processor.Conventions;
using KpiStream.Processor.Hosting;
using KpiStream.Serialization;
using KpiStream.Serialization.Avro;
using KpiStream.Serialization.Mapping;
using KpiStream.Serialization.Registry;

namespace KpiStream.IntegrationTests;

/// <summary>
/// Hand-written events through the Confluent wire format into the processor on the embedded Kafka;
/// every field of every KPI and dead-letter record checked against values worked out below.
/// Journey events share one partition, so which of them are late is decided by their order alone.
/// </summary>
public sealed class EndToEndTests : IAsyncLifetime
{
    private const string PseudonymizationKey = "end-to-end-test-key-0123456789";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    // Ten minutes ahead of now: inside the accepted event-time range, and far from the wall-clock idle advance.
    // On a five-minute boundary, so the five-minute window of minute 0 starts with it.
    private static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 300_000 * 300_000).AddMinutes(10);

    private readonly TopicNames _topics = new();
    private readonly ConfluentSchemaRegistryClient _registry = TestSchemas.NewRegistry();
    private readonly CancellationTokenSource _stop = new();
    private readonly StringWriter _output = new();
    private EmbeddedKafkaCluster _cluster = null!;
    private IProducer<string?, byte[]?> _producer = null!;
    private AvroCodec<DomainEvent> _events = null!;
    private Task<int> _app = null!;

    public async Task InitializeAsync()
    {
        _cluster = EmbeddedKafkaCluster.Start(brokerCount: 3);
        var options = new RunOptions
        {
            ConfigPath = SampleJourneys.WriteToTempFile(),
            BootstrapServers = _cluster.BootstrapServers,
            ApplicationId = "e2e",
            InputPartitions = 3,
            MetricsPort = 0,
            LiveView = false,
            PseudonymizationKey = PseudonymizationKey,
            // Five-minute rollups only: whether an hour window is final by the closers depends on the time the test runs.
            Kpi = new() { Grace = TimeSpan.FromSeconds(10), RollupWindows = [TimeSpan.FromMinutes(5)] },
            // As long as the test waits for its windows, which need a commit in each stage: they arrive in time
            // only because a stage commits as soon as its input is drained.
            CommitInterval = TimeSpan.FromMinutes(1),
        };
        foreach (var topic in KpiStreamApp.TopicsFor(options))
        {
            _cluster.CreateTopic(topic.Name, topic.Partitions, 3);
        }

        _producer = new ProducerBuilder<string?, byte[]?>(new ProducerConfig { BootstrapServers = _cluster.BootstrapServers, EnableIdempotence = true }).Build();
        _events = new AvroCodec<DomainEvent>(new DomainEventMapper(TestSchemas.Set.DomainEvent), _registry, _topics.DomainEvents);
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
        // All journey events go to partition 0, in this order; only its stream time decides what is late.
        // Minute 0. Checkout eu-west/web: s1 starts and succeeds (1999 EUR), s2 starts and fails, e3 arrives twice.
        // Checkout us-east/ios: s3 starts. Login eu-west: s4 attempts and succeeds.
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
        var positions = malformed.Select((m, i) => (m.Key, Position: ProduceRaw(m.Key, m.Value, i % 3, [new("origin", "test"u8.ToArray())]))).ToDictionary(p => p.Key, p => p.Position);

        // Minute 1: s3 succeeds (500 USD), converting its minute-0 start; partition 0 passes minute 0's end + grace.
        Produce(Events.Of("e8", "checkout_completed", "checkout", "s3", T0.AddSeconds(90), region: "us-east", device: "ios", amount: 500, currency: "USD", user: "carol"));

        // Late for minute 0 (closed), so reported in minute 1, the window current on partition 0: a new start, and e3 a third time.
        Produce(Events.Of("e9", "checkout_started", "checkout", "s5", T0.AddSeconds(50), user: "erin"), e3);

        // Every partition passes minute 1's conversion horizon: 10 min timeout + one window + 10 s grace after its end.
        for (var partition = 0; partition < 3; partition++)
        {
            ProduceRaw($"closer-{partition}", _events.Encode(Events.Of($"closer-{partition}", "login_attempted", "login", $"closer-{partition}", T0.AddMinutes(13).AddSeconds(10), region: "closer")), partition, []);
        }

        // Login's first five minutes are final too (2 min timeout); checkout's are not before T0 + 16 min.
        var (table, records) = await WaitForTableAsync(t => t.Count == 6, "the six final windows");

        string Key(string journey, string segment, int minute, int minutes = 1) => $"{journey}|{segment}|{T0.AddMinutes(minute).ToUnixTimeMilliseconds()}|{minutes * 60_000}";
        Assert.Equal(
            new SortedDictionary<string, KpiCounters>
            {
                [Key("checkout", "device=web,region=eu-west", 0)] = new(Attempts: 2, Successes: 1, Failures: 1, SessionsStarted: 2, SessionsConverted: 1, CurrencyAmounts.Of("EUR", 1999), LateRecords: 0, DuplicateRecords: 1, Requests: 0, RequestErrors: 0, LatencyHistogram.Empty),
                [Key("checkout", "device=ios,region=us-east", 0)] = new(Attempts: 1, Successes: 0, Failures: 0, SessionsStarted: 1, SessionsConverted: 1, CurrencyAmounts.None, LateRecords: 0, DuplicateRecords: 0, Requests: 0, RequestErrors: 0, LatencyHistogram.Empty),
                [Key("login", "region=eu-west", 0)] = new(Attempts: 1, Successes: 1, Failures: 0, SessionsStarted: 1, SessionsConverted: 1, CurrencyAmounts.None, LateRecords: 0, DuplicateRecords: 0, Requests: 0, RequestErrors: 0, LatencyHistogram.Empty),
                [Key("login", "region=eu-west", 0, minutes: 5)] = new(Attempts: 1, Successes: 1, Failures: 0, SessionsStarted: 1, SessionsConverted: 1, CurrencyAmounts.None, LateRecords: 0, DuplicateRecords: 0, Requests: 0, RequestErrors: 0, LatencyHistogram.Empty),
                [Key("checkout", "device=ios,region=us-east", 1)] = new(Attempts: 0, Successes: 1, Failures: 0, SessionsStarted: 0, SessionsConverted: 0, CurrencyAmounts.Of("USD", 500), LateRecords: 0, DuplicateRecords: 0, Requests: 0, RequestErrors: 0, LatencyHistogram.Empty),
                [Key("checkout", "device=web,region=eu-west", 1)] = new(Attempts: 0, Successes: 0, Failures: 0, SessionsStarted: 0, SessionsConverted: 0, CurrencyAmounts.None, LateRecords: 2, DuplicateRecords: 0, Requests: 0, RequestErrors: 0, LatencyHistogram.Empty),
            },
            new SortedDictionary<string, KpiCounters>(table.ToDictionary(kv => kv.Key, kv => kv.Value.Counters)));
        Assert.Equal(6, records);
        var web0 = table[Key("checkout", "device=web,region=eu-west", 0)];
        Assert.Equal(("checkout", T0, T0.AddMinutes(1), 0.5, 0.5), (web0.Journey, web0.Window.Start, web0.Window.End, web0.Counters.SuccessRate, web0.Counters.ConversionRate));
        Assert.Equal(["device", "region"], web0.Segment.Attributes.Keys);
        var ios1 = table[Key("checkout", "device=ios,region=us-east", 1)];
        Assert.Equal(("ios", "us-east", 1.0, (double?)null), (ios1.Segment.Attributes["device"], ios1.Segment.Attributes["region"], ios1.Counters.SuccessRate, ios1.Counters.ConversionRate));

        var dead = TopicReader.ReadAll(_cluster.BootstrapServers, _topics.DeadLetter);
        Assert.Equal(malformed.Length, dead.Count);
        foreach (var (key, value, reason) in malformed)
        {
            var record = Assert.Single(dead, d => Encoding.UTF8.GetString(d.Message.Key!) == key);
            if (_events.Decode(value).Value is { } original)
            {
                // Decodes: written with its user id pseudonymized, otherwise as it came.
                var written = _events.Decode(record.Message.Value).Value!;
                Assert.Equal("user_id", record.Header(HeaderNames.DeadLetterPseudonymized));
                Assert.Matches("^u_[0-9a-f]{32}$", written.UserId);
                Assert.Equal(original with { UserId = written.UserId, Attributes = written.Attributes }, written);
            }
            else
            {
                Assert.Equal(value, record.Message.Value);
            }

            Assert.Equal(reason, record.Header(HeaderNames.DeadLetterReason));
            Assert.Equal(_topics.DomainEvents, record.Header(HeaderNames.SourceTopic));
            Assert.Equal(positions[key].Partition.Value.ToString(CultureInfo.InvariantCulture), record.Header(HeaderNames.SourcePartition));
            Assert.Equal(positions[key].Offset.Value.ToString(CultureInfo.InvariantCulture), record.Header(HeaderNames.SourceOffset));
            Assert.Equal("test", record.Header("origin"));
            Assert.False(string.IsNullOrEmpty(record.Header(HeaderNames.DeadLetterDetail)));
        }

        using var http = new HttpClient();
        var metrics = await http.GetStringAsync($"http://127.0.0.1:{Bootstrap.MetricsPort(_output.ToString())}/metrics");
        Assert.Contains("kpistream_late_records_total{journey=\"checkout\"} 2\n", metrics, StringComparison.Ordinal);
        Assert.Contains("kpistream_duplicate_records_total{journey=\"checkout\"} 1\n", metrics, StringComparison.Ordinal);
        foreach (var (_, _, reason) in malformed)
        {
            Assert.Contains($"kpistream_records_dead_lettered_total{{topic=\"domain-events\",reason=\"{reason}\"}} 1\n", metrics, StringComparison.Ordinal);
        }

        Assert.Contains("kpistream_records_consumed_total{topic=\"domain-events\"} 21\n", metrics, StringComparison.Ordinal);
    }

    /// <summary>Waits until kpi.windowed, read as a table without the closers' windows, satisfies <paramref name="done"/>; also returns how many records it holds.</summary>
    private async Task<(IReadOnlyDictionary<string, KpiWindow> Table, int Records)> WaitForTableAsync(Func<IReadOnlyDictionary<string, KpiWindow>, bool> done, string what)
    {
        var codec = new AvroCodec<KpiWindow>(new KpiWindowMapper(TestSchemas.Set.KpiWindow), _registry, _topics.KpiWindowed);
        List<KpiWindow> Decoded(IReadOnlyList<ConsumeResult<byte[]?, byte[]?>> records) =>
            records.Select(r => codec.Decode(r.Message.Value).Value!).Where(w => w.Segment.Key != "region=closer").ToList();
        IReadOnlyDictionary<string, KpiWindow> AsTable(List<KpiWindow> windows) =>
            windows.GroupBy(w => w.Key.ToString()).ToDictionary(g => g.Key, g => g.Last());
        var records = await TopicReader.WaitUntilAsync(_cluster.BootstrapServers, _topics.KpiWindowed, r => done(AsTable(Decoded(r))), Wait, what);
        var windows = Decoded(records);
        return (AsTable(windows), windows.Count);
    }

    private void Produce(params DomainEvent[] events)
    {
        foreach (var e in events)
        {
            ProduceRaw(e.SessionId, _events.Encode(e), 0, []);
        }
    }

    private TopicPartitionOffset ProduceRaw(string key, byte[]? value, int partition, Header[] headers)
    {
        var message = new Message<string?, byte[]?> { Key = key, Value = value, Headers = [.. headers] };
        return _producer.ProduceAsync(new TopicPartition(_topics.DomainEvents, partition), message).GetAwaiter().GetResult().TopicPartitionOffset;
    }

}
