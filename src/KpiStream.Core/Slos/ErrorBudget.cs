namespace KpiStream.Core.Slos;

/// <summary>
/// The error budget of an SLO over its rolling period: the bad outcomes the objective allows,
/// (1 − objective) × total, and the share of it already spent.
/// </summary>
public sealed record ErrorBudget(double Objective, SliCounts Period)
{
    public double AllowedBad => (1 - Objective) * Period.Total;

    /// <summary>bad / allowed bad; 0 with no traffic, above 1 once the budget is exhausted.</summary>
    public double Consumed => Period.Total == 0 ? 0 : Period.Bad / AllowedBad;

    /// <summary>1 − consumed: negative once overspent, so dashboards show how far.</summary>
    public double Remaining => 1 - Consumed;
}
