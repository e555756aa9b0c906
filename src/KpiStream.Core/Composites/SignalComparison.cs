namespace KpiStream.Core.Composites;

/// <summary>How a condition judges its signal: against a fixed threshold, or against its own baseline.</summary>
public enum SignalComparison
{
    Above,
    Below,

    /// <summary>At least the threshold (a fraction) lower than over the baseline window.</summary>
    DropsBy,

    /// <summary>At least the threshold (a fraction) higher than over the baseline window.</summary>
    RisesBy,
}
