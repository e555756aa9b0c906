namespace KpiStream.Core.Slos;

/// <summary>
/// How fast an SLI spends its error budget: the error rate over a window divided by the rate the
/// objective allows (1 − objective). 1 spends the budget exactly over the SLO period; 14.4 spends a
/// 30-day budget in about 2 days.
/// </summary>
public static class BurnRate
{
    public static double Of(SliCounts counts, double objective)
    {
        if (objective is <= 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(objective), objective, "An objective is strictly between 0 and 1.");
        }

        return counts.ErrorRate / (1 - objective);
    }
}
