using KpiStream.Core.Events;
using KpiStream.Core.Journeys;
using KpiStream.Core.Windows;

namespace KpiStream.Core.Kpis;

/// <summary>
/// The funnel rules of a journey, as a pure function of one event and its session's state.
/// A session starts with its first start event; a later success within the conversion timeout
/// converts it, credited to the window and segment of the start.
/// </summary>
public static class JourneyFunnel
{
    // Immutable, so one instance of each constant change serves every event.
    private static readonly KpiCounters SessionStarted = KpiCounters.Zero with { Attempts = 1, SessionsStarted = 1 };
    private static readonly KpiCounters RepeatedStart = KpiCounters.Zero with { Attempts = 1 };
    private static readonly KpiCounters Converted = KpiCounters.Zero with { SessionsConverted = 1 };
    private static readonly KpiCounters Failed = KpiCounters.Zero with { Failures = 1 };
    private static readonly KpiCounters LateRecord = KpiCounters.Zero with { LateRecords = 1 };
    private static readonly KpiCounters DuplicateRecord = KpiCounters.Zero with { DuplicateRecords = 1 };

    public static FunnelStep Apply(JourneySpec journey, EventRole role, DomainEvent domainEvent, SessionStart? session, TimeSpan windowSize)
    {
        var segment = Segment.Of(journey, domainEvent);
        var window = TumblingWindow.Containing(domainEvent.OccurredAt, windowSize);
        var key = new KpiWindowKey(journey.Name, segment.Key, window);
        switch (role)
        {
            case EventRole.Start when session is null:
                return new FunnelStep(
                    [new KpiDelta(key, segment, SessionStarted)],
                    new SessionStart(journey.Name, segment, domainEvent.OccurredAt, window, Converted: false));
            case EventRole.Start:
                return new FunnelStep([new KpiDelta(key, segment, RepeatedStart)], session);
            case EventRole.Success:
                var revenue = domainEvent is { AmountMinor: { } amount, Currency: { } currency }
                    ? CurrencyAmounts.Of(currency, amount)
                    : CurrencyAmounts.None;
                var success = new KpiDelta(key, segment, KpiCounters.Zero with { Successes = 1, Revenue = revenue });
                if (session is { } started && started.ConvertsOn(domainEvent.OccurredAt, journey.ConversionTimeout))
                {
                    var credited = new KpiWindowKey(journey.Name, started.Segment.Key, started.Window);
                    return new FunnelStep(
                        [success, new KpiDelta(credited, started.Segment, Converted)],
                        started with { Converted = true });
                }

                return new FunnelStep([success], session);
            case EventRole.Failure:
                return new FunnelStep([new KpiDelta(key, segment, Failed)], session);
            default:
                throw new ArgumentOutOfRangeException(nameof(role), role, "Unknown event role.");
        }
    }

    /// <summary>
    /// An event that arrived after its window closed: applied to nothing, counted as late in the
    /// window that was current when it arrived (<paramref name="arrivedAt"/>, in stream time), which
    /// is still open, so the report never reopens a closed window.
    /// </summary>
    public static KpiDelta Late(JourneySpec journey, DomainEvent domainEvent, DateTimeOffset arrivedAt, TimeSpan windowSize) =>
        Marker(journey, domainEvent, arrivedAt, windowSize, LateRecord);

    /// <summary>An event whose id was already counted, reported in its own window.</summary>
    public static KpiDelta Duplicate(JourneySpec journey, DomainEvent domainEvent, TimeSpan windowSize) =>
        Marker(journey, domainEvent, domainEvent.OccurredAt, windowSize, DuplicateRecord);

    private static KpiDelta Marker(JourneySpec journey, DomainEvent domainEvent, DateTimeOffset at, TimeSpan windowSize, KpiCounters counters)
    {
        var segment = Segment.Of(journey, domainEvent);
        return new KpiDelta(new KpiWindowKey(journey.Name, segment.Key, TumblingWindow.Containing(at, windowSize)), segment, counters);
    }
}
