using System.Text;
using KpiStream.Core.Events;
using KpiStream.Core.Validation;
using KpiStream.IntegrationTests.Support;
using KpiStream.Processor.Conventions;
using KpiStream.Serialization.Avro;
using KpiStream.Serialization.Mapping;
using KpiStream.TestSupport;

namespace KpiStream.IntegrationTests;

/// <summary>
/// The hostile records of the decoders' property test, through a running processor on the
/// embedded Kafka, between good events: it stays up and ready, every bad record is in kpi.dlq
/// with a reason, and the good events give exactly the oracle's KPIs.
/// </summary>
public sealed class HostileInputTests
{
    private const int Attempts = 3_000;
    private static readonly DateTimeOffset T0 = StandaloneProcessor.T0;

    [Fact]
    public async Task Hostile_records_between_good_ones_leave_the_process_ready_each_dead_lettered_and_the_kpis_exact()
    {
        using var processor = await StandaloneProcessor.StartAsync(["--partitions", "2", "--grace", "5s", "--rollup-windows", "none"]);
        var topics = processor.Topics;
        var registry = TestSchemas.NewRegistry();
        var events = new AvroCodec<DomainEvent>(new DomainEventMapper(TestSchemas.Set.DomainEvent), registry, topics.DomainEvents);
        var telemetry = new AvroCodec<ServiceTelemetry>(new ServiceTelemetryMapper(TestSchemas.Set.ServiceTelemetry), registry, topics.ServiceTelemetry);
        var deployments = new AvroCodec<DeploymentMarker>(new DeploymentMarkerMapper(TestSchemas.Set.DeploymentMarker), registry, topics.Deployments);
        var eventValidator = new DomainEventValidator(SampleJourneys.Catalog, EventTimeBounds.Default);
        var telemetryValidator = new ServiceTelemetryValidator(SampleJourneys.Catalog, EventTimeBounds.Default);

        // (topic, a valid record, whether a mutation of it would still be used rather than dead-lettered)
        var kinds = new (string Topic, byte[] Valid, Func<byte[], bool> Usable)[]
        {
            (topics.DomainEvents, events.Encode(Events.Of("h1", "checkout_completed", "checkout", "h1", T0, amount: 1999, currency: "EUR")), b => events.Decode(b).Value is { } e && eventValidator.Validate(e, DateTimeOffset.UtcNow).Valid is not null),
            (topics.ServiceTelemetry, telemetry.Encode(new ServiceTelemetry("checkout-api", "POST /orders", "t1", T0, 120, 200, RequestOutcome.Success, "v1", "eu-west", null)), b => telemetry.Decode(b).Value is { } t && telemetryValidator.Validate(t, DateTimeOffset.UtcNow).Valid is not null),
            (topics.Deployments, deployments.Encode(new DeploymentMarker("d1", "checkout-api", "v2", T0, null, "ci", null)), b => deployments.Decode(b).Value is not null),
        };

        var random = new Random(20261202);
        var sent = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < Attempts; i++)
        {
            if (i % 300 == 0)
            {
                var session = $"good-{i}";
                processor.Produce(i / 300 % 2, Events.Of($"{session}-a", "checkout_started", "checkout", session, T0.AddSeconds(i / 100)), Events.Of($"{session}-b", "checkout_completed", "checkout", session, T0.AddSeconds(5 + (i / 100)), amount: 500, currency: "EUR"));
            }

            var (topic, valid, usable) = kinds[random.Next(kinds.Length)];
            var hostile = HostileRecords.Mutate(valid, random);
            if (usable(hostile))
            {
                // Still a valid record: it would be counted, not dead-lettered.
                continue;
            }

            processor.ProduceRaw(topic, topic == topics.Deployments ? 0 : i % 2, $"hostile-{i}", hostile);
            sent[topic] = sent.GetValueOrDefault(topic) + 1;
        }

        processor.ProduceClosers(2, T0.AddMinutes(13));
        var expected = processor.Expected();
        Assert.Equal(10, Assert.Single(expected).Value.Counters.SessionsConverted);
        Assert.Empty(KpiTableComparison.Differences(expected, await processor.WaitForWindowsAsync(expected)));

        var total = sent.Values.Sum();
        Assert.True(total > Attempts * 4 / 5, $"only {total} of {Attempts} mutations were unusable");
        var dead = await TopicReader.WaitUntilAsync(processor.Bootstrap, topics.DeadLetter, r => r.Count >= total, StandaloneProcessor.Timeout, $"all {total} hostile records");
        Assert.Equal(total, dead.Count);
        Assert.Equal(sent, dead.GroupBy(d => d.Header(HeaderNames.SourceTopic)!).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal));
        Assert.All(dead, d => Assert.False(string.IsNullOrEmpty(d.Header(HeaderNames.DeadLetterReason))));
        Assert.False(processor.Process.HasExited);
        Assert.True((await processor.Http.GetAsync("/readyz")).IsSuccessStatusCode);
    }

}
