namespace KpiStream.Core.Journeys;

/// <summary>Which segments a journey's SLOs are judged in, beside the journey as a whole, so that a failure confined to a few customers pages too.</summary>
public enum SegmentAlerting
{
    /// <summary>The journey as a whole only.</summary>
    Off,

    /// <summary>Each value of each segment dimension (<c>region=eu-west</c>, <c>plan_tier=enterprise</c>), summed over the others.</summary>
    Dimensions,

    /// <summary>Each dimension value, and each full combination of them (<c>device=ios,plan_tier=pro,region=eu-west</c>).</summary>
    Combinations,
}
