namespace KpiStream.Core.Slos;

/// <summary>Good and total outcomes of an SLI over some span of time. Additive, so minutes sum to any window.</summary>
public readonly record struct SliCounts(long Good, long Total)
{
    public static readonly SliCounts None = new(0, 0);

    public long Bad => Total - Good;

    /// <summary>bad / total; 0 when nothing was measured, so silence never reads as an outage (silence has its own alert).</summary>
    public double ErrorRate => Total == 0 ? 0 : (double)Bad / Total;

    public SliCounts Plus(SliCounts other) => new(Good + other.Good, Total + other.Total);

    public SliCounts Minus(SliCounts other) => new(Good - other.Good, Total - other.Total);
}
