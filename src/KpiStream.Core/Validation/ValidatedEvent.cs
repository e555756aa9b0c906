using KpiStream.Core.Events;
using KpiStream.Core.Journeys;

namespace KpiStream.Core.Validation;

/// <summary>A domain event that belongs to a known journey in a known role.</summary>
public sealed record ValidatedEvent(DomainEvent Event, JourneySpec Journey, EventRole Role);
