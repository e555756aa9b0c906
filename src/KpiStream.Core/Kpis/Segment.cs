using System.Collections.Immutable;
using KpiStream.Core.Events;
using KpiStream.Core.Journeys;

namespace KpiStream.Core.Kpis;

/// <summary>The values of a journey's segment attributes, with a canonical key (attributes sorted by name).</summary>
public sealed record Segment(string Key, ImmutableSortedDictionary<string, string> Attributes)
{
    /// <summary>The value of an attribute a record does not carry (telemetry knows the region, not the device).</summary>
    public const string Unattributed = "*";

    public static Segment Of(JourneySpec journey, DomainEvent domainEvent) =>
        Of(journey, domainEvent, static (e, name) => e.Attribute(name)
            ?? throw new ArgumentException($"Event {e.EventId} lacks segment attribute '{name}'; validate events before segmenting them.", nameof(domainEvent)));

    /// <summary>Interned: one instance per journey and list of values.</summary>
    public static Segment Of<TSource>(JourneySpec journey, TSource source, Func<TSource, string, string> valueOf)
    {
        var values = SegmentInterner.Scratch(journey.SegmentBy.Length);
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = valueOf(source, journey.SegmentBy[i]);
        }

        return SegmentInterner.Intern(journey.SegmentBy, values);
    }

    /// <summary>
    /// Attributes are put in ordinal order whatever the map's comparer: maps read back from JSON or
    /// a snapshot sort by the current culture, and the key must be the one stage 1 built.
    /// </summary>
    public static Segment FromAttributes(ImmutableSortedDictionary<string, string> attributes)
    {
        var ordinal = attributes.WithComparers(StringComparer.Ordinal);
        return new(string.Join(",", ordinal.Select(kv => $"{kv.Key}={kv.Value}")), ordinal);
    }

    /// <summary>The segment's value of each dimension it has a value for, each as a segment key of its own (<c>region=eu-west</c>).</summary>
    public IEnumerable<string> DimensionKeys() =>
        Attributes.Where(a => a.Value != Unattributed).Select(a => $"{a.Key}={a.Value}");

    public bool Equals(Segment? other) => other is not null && Key == other.Key;

    public override int GetHashCode() => Key.GetHashCode(StringComparison.Ordinal);
}
