using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Confluent.Kafka;
using KpiStream.Core.Events;
using KpiStream.IntegrationTests.Support;
using KpiStream.Processor.Conventions;
using KpiStream.Serialization.Avro;
using KpiStream.Serialization.Mapping;
using KpiStream.TestSupport;

namespace KpiStream.IntegrationTests;

/// <summary>
/// Input whose personal fields (user_id, and the email attribute the journeys file declares
/// personal) carry marker strings, valid and dead-lettered for every reason, through a running
/// processor; then every byte of every topic it wrote, and its log, is searched for the markers.
/// </summary>
public sealed class PrivacyTests
{
    private const string Marker = "PII-MARKER";
    private static readonly DateTimeOffset T0 = StandaloneProcessor.T0;

    // Reasons of records that cannot be decoded, whose payloads only --dead-letter-payloads keep may keep.
    private static readonly string[] Undecodable = ["not-wire-format", "unknown-schema", "wrong-schema", "undecodable-avro", "payload-too-large"];

    [Theory]
    [InlineData("drop")]
    [InlineData("keep")]
    public async Task No_personal_field_reaches_any_topic_or_log_except_undecodable_payloads_the_operator_keeps(string payloads)
    {
        var config = Path.Combine(Path.GetTempPath(), $"kpistream-personal-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(config, SampleJourneys.Yaml.Replace("apiVersion: kpistream/v1\n", "apiVersion: kpistream/v1\npersonalFields: [user_id, attributes.email]\n", StringComparison.Ordinal));
        using var processor = await StandaloneProcessor.StartAsync(["--partitions", "2", "--grace", "5s", "--rollup-windows", "none", "--dead-letter-payloads", payloads], config: config);

        DomainEvent Personal(string id, string type, string? journey, string session, DateTimeOffset at, string? currency = null, long? amount = null) =>
            Events.Of(id, type, journey, session, at, user: $"{Marker}-user-{id}", amount: amount, currency: currency, attributes: ImmutableSortedDictionary<string, string>.Empty.Add("email", $"{Marker}-{id}@example.com"));

        // Counted: their user ids become pseudonyms in state, the email goes nowhere.
        processor.Produce(0, Personal("ok1", "checkout_started", "checkout", "s1", T0.AddSeconds(5)), Personal("ok2", "checkout_completed", "checkout", "s1", T0.AddSeconds(20), "EUR", 500));
        // Decode, then fail validation: dead-lettered with their personal fields pseudonymized.
        var decodable = new (DomainEvent Event, string Reason)[]
        {
            (Personal("d1", "checkout_started", null, "s2", T0), "missing-journey"),
            (Personal("d2", "checkout_started", "refund", "s3", T0), "unknown-journey"),
            (Personal("d3", "checkout_exploded", "checkout", "s4", T0), "unknown-event-type"),
            (Personal("d4", "checkout_started", "checkout", "s5", T0.AddDays(-30)), "timestamp-out-of-range"),
            (Personal("d5", "search_started", "search", "s6", T0), "missing-segment-attribute"),
            (Personal("d6", "checkout_completed", "checkout", "s7", T0, "euro", 100), "invalid-value"),
            (Personal("", "checkout_started", "checkout", "s8", T0), "missing-field"),
        };
        var registry = TestSchemas.NewRegistry();
        var events = new AvroCodec<DomainEvent>(new DomainEventMapper(TestSchemas.Set.DomainEvent), registry, processor.Topics.DomainEvents);
        foreach (var (e, _) in decodable)
        {
            await Kcat.ProduceAsync(processor.Bootstrap, processor.Topics.DomainEvents, 1, e.SessionId, events.Encode(e));
        }

        // Cannot be decoded, each holding a marker.
        var framed = events.Encode(Personal("u1", "checkout_started", "checkout", "s9", T0));
        var telemetry = new AvroCodec<ServiceTelemetry>(new ServiceTelemetryMapper(TestSchemas.Set.ServiceTelemetry), registry, processor.Topics.ServiceTelemetry)
            .Encode(new ServiceTelemetry("checkout-api", "POST /orders", $"{Marker}-trace", T0, 12, 200, RequestOutcome.Success, null, "eu-west", null));
        var markerBytes = Encoding.UTF8.GetBytes($"{Marker}-raw");
        var undecodable = new (string Topic, string Key, byte[] Value, string Reason)[]
        {
            (processor.Topics.DomainEvents, "u-json", Encoding.UTF8.GetBytes($"{{\"user_id\":\"{Marker}-json\"}}"), "not-wire-format"),
            (processor.Topics.DomainEvents, "u-schema", [0, 0, 0, 0x7f, 0x7f, .. markerBytes], "unknown-schema"),
            (processor.Topics.DomainEvents, "u-wrong", telemetry, "wrong-schema"),
            (processor.Topics.DomainEvents, "u-cut", framed[..^3], "undecodable-avro"),
            (processor.Topics.DomainEvents, "u-large", [0, 0, 0, 0, 1, .. markerBytes, .. new byte[1024 * 1024]], "payload-too-large"),
            (processor.Topics.ServiceTelemetry, "u-telemetry", markerBytes, "not-wire-format"),
            (processor.Topics.Deployments, "u-deploy", markerBytes, "not-wire-format"),
        };
        foreach (var (topic, key, value, _) in undecodable)
        {
            await Kcat.ProduceAsync(processor.Bootstrap, topic, 0, key, value);
        }

        processor.ProduceClosers(2, T0.AddMinutes(13));
        var expected = processor.Expected();
        await processor.WaitForWindowsAsync(expected);
        var dead = await TopicReader.WaitUntilAsync(processor.Bootstrap, processor.Topics.DeadLetter, r => r.Count >= decodable.Length + undecodable.Length, StandaloneProcessor.Timeout, "every bad record");
        Assert.Equal(decodable.Length + undecodable.Length, dead.Count);

        foreach (var (e, reason) in decodable)
        {
            var letter = Assert.Single(dead, d => d.Header(HeaderNames.SourceTopic) == processor.Topics.DomainEvents && d.Header(HeaderNames.DeadLetterReason) == reason);
            Assert.Equal("user_id,attributes.email", letter.Header(HeaderNames.DeadLetterPseudonymized));
        }

        foreach (var (topic, key, _, reason) in undecodable)
        {
            var letter = Assert.Single(dead, d => d.Message.Key is { } k && Encoding.UTF8.GetString(k) == key);
            Assert.Equal((reason, topic), (letter.Header(HeaderNames.DeadLetterReason), letter.Header(HeaderNames.SourceTopic)));
            // Kept, a record over the producer's 1,000,000-byte limit is cut to fit.
            Assert.Equal(payloads == "drop" ? "dropped" : reason == "payload-too-large" ? "truncated" : null, letter.Header(HeaderNames.DeadLetterPayload));
        }

        // Every topic the processor writes: outputs, changelogs, the repartition topic.
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = processor.Bootstrap }).Build();
        var inputs = new[] { processor.Topics.DomainEvents, processor.Topics.ServiceTelemetry, processor.Topics.Deployments };
        var written = admin.GetMetadata(TimeSpan.FromSeconds(10)).Topics.Select(t => t.Topic).Where(t => !inputs.Contains(t)).Order(StringComparer.Ordinal).ToList();
        Assert.Contains(written, t => t.EndsWith("-funnel-sessions-changelog", StringComparison.Ordinal));
        Assert.Contains(written, t => t.EndsWith("-repartition", StringComparison.Ordinal));
        var leaks = new List<string>();
        foreach (var topic in written)
        {
            foreach (var record in TopicReader.ReadAll(processor.Bootstrap, topic))
            {
                var keptOnPurpose = payloads == "keep" && topic == processor.Topics.DeadLetter && Undecodable.Contains(record.Header(HeaderNames.DeadLetterReason));
                if (!keptOnPurpose && Holds(record))
                {
                    leaks.Add($"{topic}[{record.Partition.Value}]@{record.Offset.Value}");
                }
            }
        }

        Assert.Empty(leaks);
        Assert.DoesNotContain(processor.Process.Stdout.Concat(processor.Process.Stderr), l => l.Contains(Marker, StringComparison.Ordinal));
        if (payloads == "keep")
        {
            // What the operator chose to keep is there, whole.
            Assert.All(undecodable.Where(u => u.Reason != "payload-too-large"), u =>
                Assert.Equal(u.Value, Assert.Single(dead, d => d.Message.Key is { } k && Encoding.UTF8.GetString(k) == u.Key).Message.Value));
        }
    }


    private static bool Holds(ConsumeResult<byte[]?, byte[]?> record) =>
        Contains(record.Message.Key) || Contains(record.Message.Value) || (record.Message.Headers?.Any(h => Contains(h.GetValueBytes())) ?? false);

    private static bool Contains(byte[]? bytes) => bytes is not null && Encoding.Latin1.GetString(bytes).Contains(Marker, StringComparison.Ordinal);

}
