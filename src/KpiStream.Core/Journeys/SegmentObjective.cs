namespace KpiStream.Core.Journeys;

/// <summary>
/// An SLO's own terms for the customers of one dimension value (<c>plan_tier=enterprise</c>):
/// a stricter or looser objective for their segments, and how much their alerts weigh.
/// </summary>
/// <param name="Dimension">One of the journey's <see cref="JourneySpec.SegmentBy"/>.</param>
/// <param name="Objective">The objective in every segment with this value; null keeps the SLO's.</param>
/// <param name="Criticality">The weight of alerts in those segments; null keeps the journey's.</param>
public sealed record SegmentObjective(string Dimension, string Value, double? Objective, double? Criticality)
{
    public string Key => $"{Dimension}={Value}";

    /// <summary>Whether the segment (a dimension value or a combination, as a segment key) has this value.</summary>
    public bool Matches(string segmentKey) =>
        segmentKey.Split(',').Contains(Key, StringComparer.Ordinal);
}
