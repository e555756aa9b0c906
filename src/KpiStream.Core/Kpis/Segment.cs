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
        Of(journey, name => domainEvent.Attribute(name)
            ?? throw new ArgumentException($"Event {domainEvent.EventId} lacks segment attribute '{name}'; validate events before segmenting them.", nameof(domainEvent)));

    public static Segment Of(JourneySpec journey, Func<string, string> valueOf) =>
        FromAttributes(journey.SegmentBy.ToImmutableSortedDictionary(name => name, valueOf, StringComparer.Ordinal));

    public static Segment FromAttributes(ImmutableSortedDictionary<string, string> attributes) =>
        new(string.Join(",", attributes.Select(kv => $"{kv.Key}={kv.Value}")), attributes);

    public bool Equals(Segment? other) => other is not null && Key == other.Key;

    public override int GetHashCode() => Key.GetHashCode(StringComparison.Ordinal);
}
