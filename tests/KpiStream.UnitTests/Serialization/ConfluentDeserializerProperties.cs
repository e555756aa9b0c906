using System.Collections.Immutable;
using Avro;
using Avro.Generic;
using Avro.IO;
using Confluent.Kafka;
using Confluent.Kafka.SyncOverAsync;
using Confluent.SchemaRegistry;
using Confluent.SchemaRegistry.Serdes;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using KpiStream.Core.Events;
using KpiStream.Core.Kpis;
using KpiStream.Core.Slos;
using KpiStream.Core.Windows;
using KpiStream.Serialization.Avro;
using KpiStream.Serialization.Mapping;
using KpiStream.TestSupport;
using ConfluentSchema = Confluent.SchemaRegistry.Schema;

namespace KpiStream.UnitTests.Serialization;

/// <summary>
/// KpiStream's own decoder against Confluent's AvroDeserializer, on what Confluent's AvroSerializer
/// writes: random valid records of every schema in <c>schemas/</c>, each written with the schema
/// itself, a newer writer schema with an optional field added and an older one without a field
/// that has a default. Confluent's deserializer reads with the subject's latest version (the
/// processor's schema), as a consumer configured for it does; both must give the same values.
/// </summary>
public class ConfluentDeserializerProperties
{
    private static readonly Gen<string> Text = Gen.OneOf(
        Gen.Elements("", "a", "checkout", "ünïcødé ✓", new string('x', 300)),
        Gen.Elements("abcdefghijklmnopqrstuvwxyz-_0123456789".ToCharArray()).ArrayOf().Select(c => new string(c)));

    private static readonly Gen<string?> OptionalText = Gen.OneOf(Gen.Constant<string?>(null), Text.Select(s => (string?)s));

    private static readonly Gen<DateTimeOffset> Instant = Gen.Choose(0, 2_000_000_000).Select(s => DateTimeOffset.FromUnixTimeMilliseconds(s * 1000L + s % 1000));

    private static readonly Gen<long> Count = Gen.Choose(0, int.MaxValue).Select(c => (long)c * 3);

    private static readonly Gen<ImmutableSortedDictionary<string, string>> Attributes =
        Gen.Choose(0, 4).SelectMany(n => Text.Two().ListOf(n)).Select(pairs => pairs.DistinctBy(p => p.Item1).ToImmutableSortedDictionary(p => p.Item1, p => p.Item2, StringComparer.Ordinal));

    [Property(MaxTest = 100)]
    public Property Domain_events_decode_as_confluents_deserializer_reads_them() => Agrees(
        new DomainEventMapper(TestSchemas.Set.DomainEvent),
        "service",
        from id in Text
        from journey in OptionalText
        from user in OptionalText
        from at in Instant
        from amount in Gen.OneOf(Gen.Constant<long?>(null), Gen.Choose(int.MinValue, int.MaxValue).Select(a => (long?)a * 7))
        from currency in OptionalText
        from trace in OptionalText
        from attributes in Attributes
        select new DomainEvent(id, "checkout_started", journey, "s-" + id, user, at, "eu-west", "pro", "web", amount, currency, trace, journey, attributes));

    [Property(MaxTest = 100)]
    public Property Service_telemetry_decodes_as_confluents_deserializer_reads_it() => Agrees(
        new ServiceTelemetryMapper(TestSchemas.Set.ServiceTelemetry),
        "deploy_version",
        from service in Text
        from trace in OptionalText
        from at in Instant
        from duration in Gen.Choose(0, 10_000_000).Select(d => d / 1000.0)
        from status in Gen.Choose(100, 599)
        from outcome in Gen.Elements(Enum.GetValues<RequestOutcome>())
        from version in OptionalText
        from journey in OptionalText
        select new ServiceTelemetry(service, "POST /pay", trace, at, duration, status, outcome, version, "us-east", journey));

    [Property(MaxTest = 100)]
    public Property Deployment_markers_decode_as_confluents_deserializer_reads_them() => Agrees(
        new DeploymentMarkerMapper(TestSchemas.Set.DeploymentMarker),
        "description",
        from id in Text
        from at in Instant
        from region in OptionalText
        from author in OptionalText
        from description in OptionalText
        select new DeploymentMarker(id, "checkout-api", "v" + id, at, region, author, description));

    [Property(MaxTest = 100)]
    public Property Kpi_windows_decode_as_confluents_deserializer_reads_them() => Agrees(
        new KpiWindowMapper(TestSchemas.Set.KpiWindow),
        "latency_buckets_us",
        from journey in Text
        from segment in Attributes
        from start in Instant
        from minutes in Gen.Elements(1, 5, 60)
        from counts in Count.ArrayOf(10)
        from revenue in Gen.Choose(0, 3).SelectMany(n => Gen.Elements("EUR", "USD", "JPY").Zip(Count).ListOf(n))
        from buckets in Gen.Choose(0, 5).SelectMany(n => Gen.Choose(1, 1_000_000).Zip(Gen.Choose(1, 1000)).ListOf(n))
        select new KpiWindow(
            journey,
            Segment.FromAttributes(segment),
            new TumblingWindow(start, TimeSpan.FromMinutes(minutes)),
            new KpiCounters(
                counts[0], counts[1], counts[2], counts[3], counts[4],
                CurrencyAmounts.From(revenue.DistinctBy(r => r.Item1).Select(r => KeyValuePair.Create(r.Item1, r.Item2))),
                counts[5], counts[6], counts[7], counts[8],
                new LatencyHistogram(buckets.DistinctBy(b => b.Item1).ToImmutableSortedDictionary(b => (long)b.Item1, b => (long)b.Item2)))));

    [Property(MaxTest = 100)]
    public Property Alerts_decode_as_confluents_deserializer_reads_them() => Agrees(
        new SloAlertMapper(TestSchemas.Set.Alert),
        "runbook_url",
        from id in Text
        from firing in Gen.Elements(true, false)
        from page in Gen.Elements(true, false)
        from burn in Gen.Choose(0, 100_000).Select(b => b / 7.0).Two()
        from started in Instant
        from runbook in Gen.Elements<Uri?>(null, new Uri("https://runbooks.example.com/checkout"))
        from impact in Count.Three()
        from deploys in Text.ListOf()
        select new SloAlert(
            id,
            firing ? AlertStatus.Firing : AlertStatus.Resolved,
            page ? AlertSeverity.Page : AlertSeverity.Ticket,
            "checkout",
            "*",
            "checkout-success",
            ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("1h", burn.Item1), KeyValuePair.Create("5m", burn.Item2)]),
            firing ? ["1h", "5m"] : [],
            burn.Item1 / 1000,
            started,
            firing ? null : started.AddMinutes(42),
            "team-payments",
            runbook,
            new CustomerImpact(impact.Item1, impact.Item2, impact.Item3 / 3.0),
            [.. deploys],
            "summary of " + id));

    /// <summary>For every value and writer schema, KpiStream's decoder and Confluent's deserializer (then the same mapping) give the same record.</summary>
    private static Property Agrees<T>(IAvroMapper<T> mapper, string fieldWithDefault, Gen<T> values)
        where T : class
    {
        // A topic of its own per property, whose subject holds older, newer and then the processor's schema as its latest version.
        var topic = $"decoder-property-{typeof(T).Name}-{Guid.NewGuid():N}";
        var older = EvolvedSchemas.WithoutField(mapper.Schema, fieldWithDefault);
        var newer = EvolvedSchemas.WithOptionalField(mapper.Schema, "added_later");
        var registry = new CachedSchemaRegistryClient(new SchemaRegistryConfig { Url = TestSchemas.RegistryUrl.ToString() });
        foreach (var schema in new[] { older, newer, mapper.Schema })
        {
            registry.RegisterSchemaAsync(topic + "-value", new ConfluentSchema(schema.ToString(), SchemaType.Avro)).GetAwaiter().GetResult();
        }

        var ours = new AvroCodec<T>(mapper, TestSchemas.NewRegistry(), topic);
        var serializer = new AvroSerializer<GenericRecord>(registry).AsSyncOverAsync();
        var deserializer = new AvroDeserializer<GenericRecord>(registry, new AvroDeserializerConfig { UseLatestVersion = true }).AsSyncOverAsync();
        var context = new SerializationContext(MessageComponentType.Value, topic);
        return Prop.ForAll(values.Zip(Gen.Elements(older, newer, mapper.Schema)).ToArbitrary(), pair =>
        {
            var (value, writer) = pair;
            var bytes = serializer.Serialize(EvolvedSchemas.As(mapper.ToRecord(value), writer), context);
            var decoded = ours.Decode(bytes);
            var theirs = mapper.FromRecord(deserializer.Deserialize(bytes, isNull: false, context));
            return (decoded.Value is { } mine && Canonical(mapper, mine).SequenceEqual(Canonical(mapper, theirs)))
                .Label($"writer {(writer == older ? "older" : writer == newer ? "newer" : "current")}: {decoded.Rejection?.Detail ?? "values differ"}");
        });
    }

    /// <summary>The value's Avro body in the processor's schema: equal bytes, equal values, maps and lists included.</summary>
    private static byte[] Canonical<T>(IAvroMapper<T> mapper, T value)
        where T : class
    {
        using var buffer = new MemoryStream();
        new GenericDatumWriter<GenericRecord>(mapper.Schema).Write(mapper.ToRecord(value), new BinaryEncoder(buffer));
        return buffer.ToArray();
    }
}
