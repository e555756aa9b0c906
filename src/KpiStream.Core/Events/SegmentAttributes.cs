namespace KpiStream.Core.Events;

/// <summary>Names of the segment attributes every domain event carries.</summary>
public static class SegmentAttributes
{
    public const string Region = "region";
    public const string PlanTier = "plan_tier";
    public const string Device = "device";

    public static IReadOnlySet<string> BuiltIn { get; } = new HashSet<string>(StringComparer.Ordinal) { Region, PlanTier, Device };
}
