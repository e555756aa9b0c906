using KpiStream.Core.Events;
using KpiStream.Core.Journeys;
using KpiStream.Core.Windows;

namespace KpiStream.Core.Kpis;

/// <summary>
/// The funnel rules of a journey, as a pure function of one event and its session's state, in
/// event time whatever the arrival order. A session's first start is its earliest start by event
/// time; it converts when any of its successes happened at or after that start and within the
/// conversion timeout, credited to the window and segment of that start. When an earlier start
/// arrives after a later one, the session moves to it: its start and any conversion are withdrawn
/// from the later start's window and credited to the earlier one's, decided again against every
/// success the session has seen (including those that arrived before any start). Late events
/// (their window closed before they arrived) never reach this function.
/// </summary>
public static class JourneyFunnel
{
    // Immutable, so one instance of each constant change serves every event.
    private static readonly KpiCounters SessionStarted = KpiCounters.Zero with { Attempts = 1, SessionsStarted = 1 };
    private static readonly KpiCounters SessionStartedConverted = KpiCounters.Zero with { Attempts = 1, SessionsStarted = 1, SessionsConverted = 1 };
    private static readonly KpiCounters RepeatedStart = KpiCounters.Zero with { Attempts = 1 };
    private static readonly KpiCounters StartWithdrawn = KpiCounters.Zero with { SessionsStarted = -1 };
    private static readonly KpiCounters ConvertedStartWithdrawn = KpiCounters.Zero with { SessionsStarted = -1, SessionsConverted = -1 };
    private static readonly KpiCounters Converted = KpiCounters.Zero with { SessionsConverted = 1 };
    private static readonly KpiCounters Failed = KpiCounters.Zero with { Failures = 1 };
    private static readonly KpiCounters LateRecord = KpiCounters.Zero with { LateRecords = 1 };
    private static readonly KpiCounters DuplicateRecord = KpiCounters.Zero with { DuplicateRecords = 1 };

    public static FunnelStep Apply(JourneySpec journey, EventRole role, DomainEvent domainEvent, SessionStart? session, SuccessTimes successes, TimeSpan windowSize)
    {
        var segment = Segment.Of(journey, domainEvent);
        var window = TumblingWindow.Containing(domainEvent.OccurredAt, windowSize);
        var key = new KpiWindowKey(journey.Name, segment.Key, window);
        switch (role)
        {
            case EventRole.Start when session is { } first && domainEvent.OccurredAt >= first.StartedAt:
                return new FunnelStep([new KpiDelta(key, segment, RepeatedStart)], session, successes);
            case EventRole.Start:
                var converted = successes.AnyWithin(domainEvent.OccurredAt, journey.ConversionTimeout);
                var start = new SessionStart(journey.Name, segment, domainEvent.OccurredAt, window, converted);
                var started = new KpiDelta(key, segment, converted ? SessionStartedConverted : SessionStarted);
                if (session is not { } later)
                {
                    return new FunnelStep([started], start, successes);
                }

                var laterKey = new KpiWindowKey(journey.Name, later.Segment.Key, later.Window);
                var withdrawn = new KpiDelta(laterKey, later.Segment, later.Converted ? ConvertedStartWithdrawn : StartWithdrawn);
                return new FunnelStep([started, withdrawn], start, successes);
            case EventRole.Success:
                var revenue = domainEvent is { AmountMinor: { } amount, Currency: { } currency }
                    ? CurrencyAmounts.Of(currency, amount)
                    : CurrencyAmounts.None;
                var success = new KpiDelta(key, segment, KpiCounters.Zero with { Successes = 1, Revenue = revenue });
                var withSuccess = successes.Add(domainEvent.OccurredAt);
                if (session is { } begun && begun.ConvertsOn(domainEvent.OccurredAt, journey.ConversionTimeout))
                {
                    var credited = new KpiWindowKey(journey.Name, begun.Segment.Key, begun.Window);
                    return new FunnelStep(
                        [success, new KpiDelta(credited, begun.Segment, Converted)],
                        begun with { Converted = true },
                        withSuccess);
                }

                return new FunnelStep([success], session, withSuccess);
            case EventRole.Failure:
                return new FunnelStep([new KpiDelta(key, segment, Failed)], session, successes);
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
