using System.Collections.Immutable;
using KpiStream.Core.Composites;

namespace KpiStream.Core.Journeys;

/// <summary>A customer journey: which events start it and end it, how to segment it, its SLOs and composite alerts.</summary>
/// <param name="SegmentBy">Event attributes the KPIs are grouped by, e.g. region, plan_tier, device.</param>
/// <param name="ConversionTimeout">A session converts if it succeeds within this time of its start.</param>
/// <param name="Criticality">How much an alert on this journey weighs against others (1 = ordinary).</param>
/// <param name="Stage">How close the journey is to revenue, 0 to 1 (1: the payment itself), for ranking alerts.</param>
public sealed record JourneySpec(
    string Name,
    string Owner,
    string? Description,
    ImmutableArray<string> StartEvents,
    ImmutableArray<string> SuccessEvents,
    ImmutableArray<string> FailureEvents,
    ImmutableArray<string> SegmentBy,
    ImmutableArray<string> Services,
    TimeSpan ConversionTimeout,
    ImmutableArray<SloSpec> Slos,
    double Criticality = JourneySpec.DefaultCriticality,
    double Stage = JourneySpec.DefaultStage)
{
    public const double DefaultCriticality = 1;
    public const double DefaultStage = 0;
    public const long DefaultSegmentTrafficFloor = 20;

    /// <summary>How many segments of one SLO are judged at most, so that a dimension with endless values cannot grow alerting state without bound; later segments are counted, not judged.</summary>
    public const int MaxJudgedSegments = 50;

    /// <summary>Alerts on combinations of this journey's KPIs, beside its SLOs.</summary>
    public ImmutableArray<CompositeRule> CompositeAlerts { get; init; } = [];

    /// <summary>Which segments the SLOs are also judged in, with the same policy on the segment's own SLI counts.</summary>
    public SegmentAlerting SegmentAlerting { get; init; } = SegmentAlerting.Dimensions;

    /// <summary>SLI events a segment needs within a rule's long window before that rule may alert for the segment alone: below it, a handful of failures is noise.</summary>
    public long SegmentTrafficFloor { get; init; } = DefaultSegmentTrafficFloor;

    /// <summary>Whether the SLOs are judged in the segment with <paramref name="segmentKey"/> (a dimension value such as <c>region=eu-west</c>, or a combination).</summary>
    public bool JudgesSegment(string segmentKey) => SegmentAlerting switch
    {
        SegmentAlerting.Dimensions => !segmentKey.Contains(',', StringComparison.Ordinal),
        SegmentAlerting.Combinations => true,
        _ => false,
    };

    /// <summary>The role of <paramref name="eventType"/> in this journey, or null when the journey does not declare it.</summary>
    public EventRole? RoleOf(string eventType) =>
        StartEvents.Contains(eventType) ? EventRole.Start
        : SuccessEvents.Contains(eventType) ? EventRole.Success
        : FailureEvents.Contains(eventType) ? EventRole.Failure
        : null;
}
