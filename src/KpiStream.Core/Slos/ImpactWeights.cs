namespace KpiStream.Core.Slos;

/// <summary>
/// How much reach and duration weigh when alerts are ranked. The score (see
/// <see cref="CustomerImpact.Estimate"/>) is criticality × (1 + reach · log10(1 + sessions)) ×
/// (1 + stage) × (1 + duration · hours firing): ten times the sessions is one step of reach.
/// </summary>
public sealed record ImpactWeights(double Reach, double Duration)
{
    public static readonly ImpactWeights Default = new(Reach: 1.0, Duration: 0.5);
}
