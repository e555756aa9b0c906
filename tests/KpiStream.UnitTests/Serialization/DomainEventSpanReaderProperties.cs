using System.Collections.Immutable;
using Avro;
using Avro.Generic;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using KpiStream.Core.Events;
using KpiStream.Core.Validation;
using KpiStream.Serialization.Avro;
using KpiStream.Serialization.Mapping;
using KpiStream.TestSupport;

namespace KpiStream.UnitTests.Serialization;

/// <summary>The span reader of domain events against Apache.Avro's generic reader, which it replaces on the hot path.</summary>
public class DomainEventSpanReaderProperties
{
    private static readonly AvroCodec<DomainEvent> Fast = new(new DomainEventMapper(TestSchemas.Set.DomainEvent), TestSchemas.NewRegistry(), "domain-events");
    private static readonly AvroCodec<DomainEvent> Generic = new(new GenericOnly(new DomainEventMapper(TestSchemas.Set.DomainEvent)), TestSchemas.NewRegistry(), "domain-events");

    [Property(MaxTest = 300)]
    public Property Any_event_decodes_to_what_the_generic_reader_gives()
    {
        var text = Gen.Elements("", "a", "checkout_started", "ünïcødé ✓", new string('x', 300)).Select(s => s);
        var optional = Gen.OneOf(Gen.Constant<string?>(null), text.Select(s => (string?)s));
        var events =
            from id in text
            from journey in optional
            from user in optional
            from millis in Gen.Choose(-100_000, 2_000_000_000).Select(m => m * 1000L)
            from amount in Gen.OneOf(Gen.Constant<long?>(null), Gen.Choose(int.MinValue, int.MaxValue).Select(a => (long?)a * 3))
            from currency in optional
            from pairs in Gen.Choose(0, 4).SelectMany(n => text.Two().ListOf(n))
            select new DomainEvent(id, "checkout_started", journey, "s-" + id, user, DateTimeOffset.FromUnixTimeMilliseconds(millis), "eu-west", "pro", "web", amount, currency, journey, user,
                pairs.DistinctBy(p => p.Item1).ToImmutableSortedDictionary(p => p.Item1, p => p.Item2, StringComparer.Ordinal));
        return Prop.ForAll(events.ToArbitrary(), e =>
        {
            var bytes = Fast.Encode(e);
            var fast = Fast.Decode(bytes).Value!;
            var generic = Generic.Decode(bytes).Value!;
            return Fast.Encode(fast).SequenceEqual(Fast.Encode(generic)) && fast.Attributes.SequenceEqual(e.Attributes) && fast.OccurredAt == e.OccurredAt;
        });
    }

    [Property(MaxTest = 200)]
    public Property Truncated_or_extended_bodies_are_undecodable_as_with_the_generic_reader(PositiveInt cut)
    {
        var bytes = Fast.Encode(Events.Of("e1", "checkout_completed", "checkout", "s1", DateTimeOffset.UnixEpoch.AddDays(20_000), amount: 100, currency: "EUR"));
        var truncated = bytes[..Math.Max(6, bytes.Length - 1 - (cut.Get % (bytes.Length - 6)))];
        byte[] extended = [.. bytes, 0];
        return (Fast.Decode(truncated).Rejection?.Reason == DeadLetterReason.UndecodableAvro
                && Fast.Decode(extended).Rejection?.Reason == DeadLetterReason.UndecodableAvro
                && Generic.Decode(extended).Rejection?.Reason == DeadLetterReason.UndecodableAvro).ToProperty();
    }

    /// <summary>The same mapping without the span reader, so the codec takes the generic path.</summary>
    private sealed class GenericOnly(DomainEventMapper inner) : IAvroMapper<DomainEvent>
    {
        public RecordSchema Schema => inner.Schema;

        public GenericRecord ToRecord(DomainEvent value) => inner.ToRecord(value);

        public DomainEvent FromRecord(GenericRecord record) => inner.FromRecord(record);
    }
}
