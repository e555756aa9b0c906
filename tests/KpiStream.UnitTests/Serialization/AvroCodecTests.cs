using System.Collections.Immutable;
using Avro;
using Avro.Generic;
using Avro.IO;
using KpiStream.Core.Events;
using KpiStream.Core.Kpis;
using KpiStream.Core.Slos;
using KpiStream.Core.Validation;
using KpiStream.Core.Windows;
using KpiStream.Serialization;
using KpiStream.Serialization.Avro;
using KpiStream.Serialization.Mapping;
using KpiStream.Serialization.Registry;
using KpiStream.TestSupport;

namespace KpiStream.UnitTests.Serialization;

public class AvroCodecTests
{
    private static readonly DateTimeOffset At = DateTimeOffset.Parse("2026-11-23T10:15:30.123Z");
    private readonly ConfluentSchemaRegistryClient _registry = TestSchemas.NewRegistry();

    [Fact]
    public void Domain_events_round_trip_with_every_field_set_and_with_optionals_absent()
    {
        var codec = new AvroCodec<DomainEvent>(new DomainEventMapper(TestSchemas.Set.DomainEvent), _registry, "domain-events");
        var full = Events.Of("e1", "checkout_completed", "checkout", "s1", At, "us-east", "ios", "enterprise", 12_345, "USD", "user-9",
            ImmutableSortedDictionary<string, string>.Empty.Add("experiment", "b"));
        var minimal = full with { Journey = null, UserId = null, AmountMinor = null, Currency = null, TraceId = null, Service = null, Attributes = ImmutableSortedDictionary<string, string>.Empty };

        AssertSameEvent(full, codec.Decode(codec.Encode(full)).Value!);
        AssertSameEvent(minimal, codec.Decode(codec.Encode(minimal)).Value!);
    }

    [Fact]
    public void Telemetry_round_trips()
    {
        var codec = new AvroCodec<ServiceTelemetry>(new ServiceTelemetryMapper(TestSchemas.Set.ServiceTelemetry), _registry, "service-telemetry");
        var telemetry = new ServiceTelemetry("checkout-api", "POST /orders", "t1", At, 312.5, 503, RequestOutcome.Error, "v1.4.2", "eu-west", "checkout");

        Assert.Equal(telemetry, codec.Decode(codec.Encode(telemetry)).Value);
    }

    [Fact]
    public void Deployment_markers_round_trip()
    {
        var codec = new AvroCodec<DeploymentMarker>(new DeploymentMarkerMapper(TestSchemas.Set.DeploymentMarker), _registry, "deployments");
        var marker = new DeploymentMarker("d-7", "payments-api", "v2.0.1", At, "eu-west", "ci-bot", "Retry budget raised");

        Assert.Equal(marker, codec.Decode(codec.Encode(marker)).Value);
    }

    [Fact]
    public void Kpi_windows_round_trip_with_rates_and_revenue()
    {
        var codec = new AvroCodec<KpiWindow>(new KpiWindowMapper(TestSchemas.Set.KpiWindow), _registry, "kpi.windowed");
        var segment = Segment.FromAttributes(ImmutableSortedDictionary<string, string>.Empty.Add("region", "eu-west").Add("device", "web"));
        var counters = new KpiCounters(5, 3, 1, 4, 2, CurrencyAmounts.Of("EUR", 1999).Add("USD", 500), 1, 2, 3, 1, LatencyHistogram.Of(TimeSpan.FromMilliseconds(12)).Record(TimeSpan.FromMilliseconds(250)).Record(TimeSpan.FromSeconds(2)));
        var window = new KpiWindow("checkout", segment, new TumblingWindow(DateTimeOffset.Parse("2026-11-23T10:15:00Z"), TimeSpan.FromMinutes(1)), counters);

        var decoded = codec.Decode(codec.Encode(window)).Value!;

        Assert.Equal(window, decoded);
        Assert.Equal("device=web,region=eu-west", decoded.Segment.Key);
    }

    [Fact]
    public void Alerts_round_trip_through_their_schema()
    {
        var codec = new AvroCodec<SloAlert>(new SloAlertMapper(TestSchemas.Set.Alert), TestSchemas.NewRegistry(), "kpi.alerts");
        var alert = new SloAlert(
            "checkout-success|checkout|device=web,region=eu-west@1795348800000",
            AlertStatus.Resolved,
            AlertSeverity.Page,
            "checkout",
            "device=web,region=eu-west",
            "checkout-success",
            ImmutableSortedDictionary<string, double>.Empty.Add("1h", 15.2).Add("5m", 18.0),
            ["5m", "1h"],
            0.031,
            At,
            At.AddMinutes(42),
            "team-payments",
            new Uri("https://runbooks.example.com/checkout"),
            new CustomerImpact(412, 1_250_000, 87.5),
            ["d-7"],
            "PAGE checkout-success");

        var decoded = codec.Decode(codec.Encode(alert)).Value!;

        Assert.Equal(alert.BurnRates.ToArray(), decoded.BurnRates.ToArray());
        Assert.Equal(alert.TrippedWindows.ToArray(), decoded.TrippedWindows.ToArray());
        Assert.Equal(alert.Deploys.ToArray(), decoded.Deploys.ToArray());
        Assert.Equal(alert, decoded with { BurnRates = alert.BurnRates, TrippedWindows = alert.TrippedWindows, Deploys = alert.Deploys });
        Assert.Null(codec.Decode(codec.Encode(alert with { EndedAt = null, Runbook = null })).Value!.EndedAt);
    }

    [Fact]
    public async Task Records_written_with_an_older_schema_decode_with_the_defaults_of_new_fields()
    {
        var older = (RecordSchema)Schema.Parse("""
            {"type":"record","name":"DomainEvent","namespace":"dev.kpistream.v1","fields":[
              {"name":"event_id","type":"string"},{"name":"event_type","type":"string"},
              {"name":"journey","type":["null","string"],"default":null},{"name":"session_id","type":"string"},
              {"name":"occurred_at","type":{"type":"long","logicalType":"timestamp-millis"}},
              {"name":"region","type":"string"},{"name":"plan_tier","type":"string"},{"name":"device","type":"string"}]}
            """);
        var id = await _registry.RegisterAsync("domain-events-value", older);
        var record = new GenericRecord(older);
        foreach (var (field, value) in new (string, object?)[] { ("event_id", "e1"), ("event_type", "login_attempted"), ("journey", "login"), ("session_id", "s1"), ("occurred_at", At.UtcDateTime), ("region", "eu-west"), ("plan_tier", "free"), ("device", "web") })
        {
            record.Add(field, value);
        }

        using var stream = new MemoryStream();
        new GenericDatumWriter<GenericRecord>(older).Write(record, new BinaryEncoder(stream));
        var codec = new AvroCodec<DomainEvent>(new DomainEventMapper(TestSchemas.Set.DomainEvent), _registry, "domain-events");

        var decoded = codec.Decode(WireFormat.Frame(id, stream.ToArray())).Value!;

        Assert.Equal("login_attempted", decoded.EventType);
        Assert.Null(decoded.UserId);
        Assert.Null(decoded.AmountMinor);
        Assert.Empty(decoded.Attributes);
    }

    public static TheoryData<string, byte[]?, DeadLetterReason> Undecodable()
    {
        var registry = TestSchemas.NewRegistry();
        var events = new AvroCodec<DomainEvent>(new DomainEventMapper(TestSchemas.Set.DomainEvent), registry, "domain-events");
        var markers = new AvroCodec<DeploymentMarker>(new DeploymentMarkerMapper(TestSchemas.Set.DeploymentMarker), registry, "deployments");
        var valid = events.Encode(Events.Of("e1", "checkout_started", "checkout", "s1", At));
        return new()
        {
            { "null value", null, DeadLetterReason.EmptyValue },
            { "empty value", [], DeadLetterReason.EmptyValue },
            { "JSON instead of Avro", "{\"event_id\":\"e1\"}"u8.ToArray(), DeadLetterReason.NotWireFormat },
            { "header cut short", [0, 0, 0], DeadLetterReason.NotWireFormat },
            { "unregistered schema id", WireFormat.Frame(987_654, valid.AsSpan(WireFormat.HeaderLength)), DeadLetterReason.UnknownSchema },
            { "another record type", markers.Encode(new DeploymentMarker("d1", "api", "v1", At, null, null, null)), DeadLetterReason.WrongSchema },
            { "truncated payload", valid[..^6], DeadLetterReason.UndecodableAvro },
            { "trailing bytes", [.. valid, 0x02, 0x02], DeadLetterReason.UndecodableAvro },
            { "oversized value", WireFormat.Frame(1, new byte[2048]), DeadLetterReason.PayloadTooLarge },
        };
    }

    [Theory]
    [MemberData(nameof(Undecodable))]
    public void Undecodable_values_are_rejected_with_their_reason(string _, byte[]? value, DeadLetterReason reason)
    {
        var registry = TestSchemas.NewRegistry();
        new AvroCodec<DeploymentMarker>(new DeploymentMarkerMapper(TestSchemas.Set.DeploymentMarker), registry, "deployments")
            .Encode(new DeploymentMarker("d1", "api", "v1", At, null, null, null));
        var codec = new AvroCodec<DomainEvent>(new DomainEventMapper(TestSchemas.Set.DomainEvent), registry, "domain-events", maxPayloadBytes: 1024);

        var result = codec.Decode(value);

        Assert.Null(result.Value);
        Assert.Equal(reason, result.Rejection!.Reason);
    }

    private static void AssertSameEvent(DomainEvent expected, DomainEvent actual)
    {
        Assert.Equal(expected with { Attributes = ImmutableSortedDictionary<string, string>.Empty }, actual with { Attributes = ImmutableSortedDictionary<string, string>.Empty });
        Assert.Equal(expected.Attributes.ToArray(), actual.Attributes.ToArray());
    }
}
