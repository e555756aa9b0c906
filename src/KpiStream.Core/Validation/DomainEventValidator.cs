using KpiStream.Core.Events;
using KpiStream.Core.Journeys;

namespace KpiStream.Core.Validation;

/// <summary>Checks a decoded domain event against the journeys and the event-time bounds.</summary>
public sealed class DomainEventValidator(JourneyCatalog catalog, EventTimeBounds bounds)
{
    /// <returns>Either the validated event or the rejection, never both.</returns>
    public (ValidatedEvent? Valid, Rejection? Rejection) Validate(DomainEvent domainEvent, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(domainEvent.EventId))
        {
            return Reject(DeadLetterReason.MissingField, "event_id is empty");
        }

        if (string.IsNullOrWhiteSpace(domainEvent.SessionId))
        {
            return Reject(DeadLetterReason.MissingField, "session_id is empty");
        }

        if (string.IsNullOrWhiteSpace(domainEvent.Journey))
        {
            return Reject(DeadLetterReason.MissingJourney, "journey is null or empty");
        }

        var journey = catalog.Find(domainEvent.Journey);
        if (journey is null)
        {
            return Reject(DeadLetterReason.UnknownJourney, $"journey '{domainEvent.Journey}' is not configured");
        }

        var role = journey.RoleOf(domainEvent.EventType);
        if (role is null)
        {
            return Reject(DeadLetterReason.UnknownEventType, $"event type '{domainEvent.EventType}' is not declared by journey '{journey.Name}'");
        }

        if (!bounds.Admits(domainEvent.OccurredAt, now))
        {
            return Reject(
                DeadLetterReason.TimestampOutOfRange,
                $"occurred_at {domainEvent.OccurredAt:O} is more than {bounds.MaxAge} before or {bounds.MaxAhead} after {now:O}");
        }

        // A loop, not a lambda over the event: this runs for every record.
        foreach (var name in journey.SegmentBy)
        {
            var value = domainEvent.Attribute(name);
            if (value is null)
            {
                return Reject(DeadLetterReason.MissingSegmentAttribute, $"attribute '{name}' that journey '{journey.Name}' segments by is missing");
            }

            // An empty or blank value would make a segment no one can name (`region=`), hiding its customers from every segment that can.
            if (string.IsNullOrWhiteSpace(value))
            {
                return Reject(DeadLetterReason.InvalidValue, $"attribute '{name}' that journey '{journey.Name}' segments by is empty");
            }

            if (TextLimits.TooLong($"attribute '{name}'", value, TextLimits.MaxNameLength) is { } tooLong)
            {
                return Reject(DeadLetterReason.InvalidValue, tooLong);
            }
        }

        if (domainEvent.AmountMinor is { } amount && (amount > TextLimits.MaxAmountMinor || amount < -TextLimits.MaxAmountMinor))
        {
            return Reject(DeadLetterReason.InvalidValue, $"amount_minor {amount} is beyond ±{TextLimits.MaxAmountMinor}");
        }

        if (domainEvent.Currency is { } currency && !TextLimits.IsCurrencyCode(currency))
        {
            return Reject(DeadLetterReason.InvalidValue, $"currency is not an ISO 4217 code of three capital letters (got {Math.Min(currency.Length, 16)} characters '{currency[..Math.Min(currency.Length, 16)]}')");
        }

        return (new ValidatedEvent(domainEvent, journey, role.Value), null);
    }

    private static (ValidatedEvent?, Rejection?) Reject(DeadLetterReason reason, string detail) => (null, new Rejection(reason, detail));
}
