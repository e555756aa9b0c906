using System.Collections.Immutable;
using KpiStream.Core.Events;
using KpiStream.Core.Journeys;

namespace KpiStream.Core.Kpis;

/// <summary>The values of a journey's segment attributes, with a canonical key (attributes sorted by name).</summary>
public sealed record Segment(string Key, ImmutableSortedDictionary<string, string> Attributes)
{
    public static Segment Of(JourneySpec journey, DomainEvent domainEvent) =>
        FromAttributes(journey.SegmentBy.ToImmutableSortedDictionary(
            name => name,
            name => domainEvent.Attribute(name)
                ?? throw new ArgumentException($"Event {domainEvent.EventId} lacks segment attribute '{name}'; validate events before segmenting them.", nameof(domainEvent)),
            StringComparer.Ordinal));

    public static Segment FromAttributes(ImmutableSortedDictionary<string, string> attributes) =>
        new(string.Join(",", attributes.Select(kv => $"{kv.Key}={kv.Value}")), attributes);

    public bool Equals(Segment? other) => other is not null && Key == other.Key;

    public override int GetHashCode() => Key.GetHashCode(StringComparison.Ordinal);
}
