using System.Collections.Immutable;

namespace KpiStream.Core.Composites;

/// <summary>A composite rule judged at one minute: whether it trips, and each condition's reading at that minute.</summary>
public sealed record CompositeJudgement(bool Trips, ImmutableArray<ConditionReading> Readings);
