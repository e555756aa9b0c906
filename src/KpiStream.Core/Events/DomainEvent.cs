using System.Collections.Immutable;

namespace KpiStream.Core.Events;

/// <summary>A business event of a customer journey, as decoded from domain-events.</summary>
/// <param name="UserId">Pseudonymized before the event reaches any state; never the producer's raw id.</param>
/// <param name="Attributes">Free-form attributes beyond the built-in segment attributes.</param>
public sealed record DomainEvent(
    string EventId,
    string EventType,
    string? Journey,
    string SessionId,
    string? UserId,
    DateTimeOffset OccurredAt,
    string Region,
    string PlanTier,
    string Device,
    long? AmountMinor,
    string? Currency,
    string? TraceId,
    string? Service,
    ImmutableSortedDictionary<string, string> Attributes)
{
    /// <summary>The value of a segment attribute, built-in or free-form; null when absent.</summary>
    public string? Attribute(string name) => name switch
    {
        SegmentAttributes.Region => Region,
        SegmentAttributes.PlanTier => PlanTier,
        SegmentAttributes.Device => Device,
        _ => Attributes.GetValueOrDefault(name),
    };
}
