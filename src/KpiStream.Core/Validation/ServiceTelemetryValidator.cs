using KpiStream.Core.Events;
using KpiStream.Core.Journeys;

namespace KpiStream.Core.Validation;

/// <summary>Checks a decoded request record before it is attributed to journeys.</summary>
public sealed class ServiceTelemetryValidator(JourneyCatalog catalog, EventTimeBounds bounds)
{
    /// <returns>Either the request or the rejection, never both.</returns>
    public (ServiceTelemetry? Valid, Rejection? Rejection) Validate(ServiceTelemetry request, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(request.Service))
        {
            return Reject(DeadLetterReason.MissingField, "service is empty");
        }

        if (string.IsNullOrWhiteSpace(request.Region))
        {
            return Reject(DeadLetterReason.MissingField, "region is empty");
        }

        if ((TextLimits.TooLong("service", request.Service, TextLimits.MaxNameLength) ?? TextLimits.TooLong("region", request.Region, TextLimits.MaxNameLength)) is { } tooLong)
        {
            return Reject(DeadLetterReason.InvalidValue, tooLong);
        }

        if (!double.IsFinite(request.DurationMs) || request.DurationMs < 0)
        {
            return Reject(DeadLetterReason.InvalidValue, $"duration_ms {request.DurationMs} is not a finite, non-negative number of milliseconds");
        }

        if (request.Journey is { Length: > 0 } journey && catalog.Find(journey) is null)
        {
            return Reject(DeadLetterReason.UnknownJourney, $"journey '{journey}' is not configured");
        }

        if (!bounds.Admits(request.Timestamp, now))
        {
            return Reject(DeadLetterReason.TimestampOutOfRange, $"timestamp {request.Timestamp:O} is more than {bounds.MaxAge} before or {bounds.MaxAhead} after {now:O}");
        }

        return (request, null);
    }

    private static (ServiceTelemetry?, Rejection?) Reject(DeadLetterReason reason, string detail) => (null, new Rejection(reason, detail));
}
