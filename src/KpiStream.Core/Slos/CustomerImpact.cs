namespace KpiStream.Core.Slos;

/// <summary>What an alert costs customers: sessions that hit the failing journey, revenue at risk and a score to rank alerts by.</summary>
public sealed record CustomerImpact(long AffectedSessions, long RevenueAtRiskMinor, double Score)
{
    /// <param name="affectedSessions">Sessions started while the alert fired.</param>
    /// <param name="convertedSessions">Of those, the ones that converted.</param>
    /// <param name="baselineConversionRate">The journey's conversion rate before the alert.</param>
    /// <param name="averageOrderValueMinor">Revenue per conversion, from the journey's recent history.</param>
    /// <param name="criticality">The journey's weight from configuration (e.g. checkout 3, signup 1).</param>
    /// <param name="stage">How close the journey is to revenue, 0..1 (1: the payment itself).</param>
    public static CustomerImpact Estimate(
        long affectedSessions,
        long convertedSessions,
        double baselineConversionRate,
        long averageOrderValueMinor,
        double criticality,
        double stage,
        TimeSpan firingFor,
        ImpactWeights weights)
    {
        // Conversions lost against the baseline; never negative, a good hour is not negative risk.
        var lostConversions = Math.Max(0, baselineConversionRate * affectedSessions - convertedSessions);
        var revenueAtRisk = (long)Math.Round(lostConversions * averageOrderValueMinor, MidpointRounding.AwayFromZero);
        var score = criticality
            * (1 + weights.Reach * Math.Log10(1 + affectedSessions))
            * (1 + stage)
            * (1 + weights.Duration * firingFor.TotalHours);
        return new CustomerImpact(affectedSessions, revenueAtRisk, score);
    }
}
