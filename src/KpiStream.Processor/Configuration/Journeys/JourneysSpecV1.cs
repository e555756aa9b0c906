using System.Collections.Immutable;
using KpiStream.Core.Composites;
using KpiStream.Core.Journeys;
using KpiStream.Core.Slos;
using YamlDotNet.Core;

namespace KpiStream.Processor.Configuration.Journeys;

// The journeys file of apiVersion kpistream/v1 as written: each value read into its type, null
// where it was missing or wrong (the reader has said so), and each part with its place in the
// file and its field path, so that the validator can point at what it refuses.

/// <param name="Policies">Declared alert policies, in file order; the built-in workbook policy is not among them.</param>
/// <param name="PersonalAttributes">The <c>attributes</c> entries declared personal, besides <c>user_id</c>, which always is.</param>
public sealed record JourneysSpecV1(ImpactWeights ImpactWeights, ImmutableArray<AlertPolicySpecV1> Policies, ImmutableArray<JourneySpecV1> Journeys, ImmutableArray<PersonalAttributeSpecV1> PersonalAttributes);

public sealed record PersonalAttributeSpecV1(Mark At, string Path, string Name);

/// <param name="Complete">Whether every field was read without an error.</param>
public sealed record AlertPolicySpecV1(Mark At, string Path, string? Name, TimeSpan? ResolveAfter, int MinimumBadEvents, ImmutableArray<BurnRateRuleSpecV1> Rules, bool Complete);

public sealed record BurnRateRuleSpecV1(Mark At, string Path, AlertSeverity? Severity, SloWindow? LongWindow, SloWindow? ShortWindow, double? BurnRate);

/// <param name="Events">Null when the events mapping is missing or not a mapping.</param>
public sealed record JourneySpecV1(
    Mark At,
    string Path,
    string? Name,
    string? Owner,
    string? Description,
    JourneyEventsSpecV1? Events,
    ImmutableArray<string> SegmentBy,
    ImmutableArray<string> Services,
    TimeSpan? ConversionTimeout,
    double Criticality,
    double Stage,
    SegmentAlerting SegmentAlerting,
    long SegmentTrafficFloor,
    ImmutableArray<SloSpecV1> Slos,
    ImmutableArray<CompositeAlertSpecV1> CompositeAlerts,
    bool Complete);

public sealed record JourneyEventsSpecV1(Mark At, string Path, ImmutableArray<string> Start, ImmutableArray<string> Success, ImmutableArray<string> Failure);

/// <param name="ThresholdAt">Where a threshold was written, if one was (even a wrong one).</param>
/// <param name="Policy">The alert policy named, and where; null for the workbook's.</param>
/// <param name="PeriodText">The period as written, for messages.</param>
public sealed record SloSpecV1(
    Mark At,
    string Path,
    string? Name,
    SliKind? Sli,
    double? Objective,
    TimeSpan? Period,
    string? PeriodText,
    TimeSpan? Threshold,
    Mark? ThresholdAt,
    (string Name, Mark At)? Policy,
    Uri? Runbook,
    ImmutableArray<SegmentObjectiveSpecV1> Segments,
    bool Complete);

/// <param name="Dimension">Null when <c>segment</c> is missing or not <c>dimension=value</c> (the reader has said so).</param>
public sealed record SegmentObjectiveSpecV1(Mark At, string Path, string? Dimension, string? Value, double? Objective, double? Criticality);

public sealed record CompositeAlertSpecV1(Mark At, string Path, string? Name, AlertSeverity? Severity, TimeSpan For, TimeSpan ResolveAfter, Uri? Runbook, ImmutableArray<ConditionSpecV1> When, bool Complete);

/// <param name="Comparison">With the field it was written as (above, below, dropsBy, risesBy).</param>
/// <param name="BaselineAt">Where a baseline was written, if one was (even a wrong one).</param>
public sealed record ConditionSpecV1(
    Mark At,
    string Path,
    KpiSignal? Signal,
    (SignalComparison Kind, string Field)? Comparison,
    double? Threshold,
    TimeSpan Over,
    TimeSpan? Baseline,
    Mark? BaselineAt,
    long MinimumSamples);
