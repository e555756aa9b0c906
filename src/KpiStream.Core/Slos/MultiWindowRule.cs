namespace KpiStream.Core.Slos;

/// <summary>
/// One line of a multi-window, multi-burn-rate policy: trips when the burn rate is at least
/// <see cref="BurnRateThreshold"/> over both the long window (enough budget is really being spent)
/// and the short one (it is still being spent now, so the alert resets soon after recovery).
/// </summary>
public sealed record MultiWindowRule(AlertSeverity Severity, SloWindow LongWindow, SloWindow ShortWindow, double BurnRateThreshold)
{
    // Burn rates exactly at the threshold (0.001 / (1 - 0.999)) come out a hair under it in binary floating point.
    private const double RelativeTolerance = 1e-9;

    public bool Trips(Func<SloWindow, SliCounts> countsOver, double objective) => BurnsAtLeast(countsOver, objective, 1);

    /// <summary>Whether the burn rate is at least <paramref name="share"/> of the threshold over both windows.</summary>
    public bool BurnsAtLeast(Func<SloWindow, SliCounts> countsOver, double objective, double share) =>
        Reaches(BurnRate.Of(countsOver(LongWindow), objective), share) && Reaches(BurnRate.Of(countsOver(ShortWindow), objective), share);

    private bool Reaches(double burnRate, double share) => burnRate >= BurnRateThreshold * share * (1 - RelativeTolerance);

    /// <summary>
    /// Time from the onset of a constant error rate to the first moment the rule trips, assuming a
    /// clean history before it; null when that error rate never trips it. Over a window W the error
    /// rate seen t after onset is errorRate · t / W (for t ≤ W), which reaches threshold · (1 − objective)
    /// at t = W · threshold · (1 − objective) / errorRate: the SRE workbook's detection time.
    /// </summary>
    public TimeSpan? DetectionTime(double objective, double errorRate)
    {
        var needed = BurnRateThreshold * (1 - objective);
        if (errorRate < needed)
        {
            return null;
        }

        // Rounded to the millisecond: the products are not exact in binary floating point.
        var window = Math.Max(LongWindow.Duration.TotalMilliseconds, ShortWindow.Duration.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(Math.Round(window * needed / errorRate));
    }
}
