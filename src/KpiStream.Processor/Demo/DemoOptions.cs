namespace KpiStream.Processor.Demo;

/// <summary>Settings of the built-in traffic generator.</summary>
public sealed record DemoOptions
{
    public int Seed { get; init; } = 42;

    /// <summary>Event time passes this many times faster than wall-clock time.</summary>
    public double SpeedUp { get; init; } = 60;

    /// <summary>New customer sessions per second of event time.</summary>
    public double SessionsPerSecond { get; init; } = 2;

    /// <summary>Share of records that are deliberately malformed, to exercise the dead-letter path.</summary>
    public double MalformedShare { get; init; } = 0.005;

    /// <summary>How far before now the demo's event clock starts, so the speed-up stays inside the accepted event-time range.</summary>
    public TimeSpan StartBehindNow { get; init; } = TimeSpan.FromHours(24);

    /// <summary>The fault injected into the traffic; healthy by default.</summary>
    public DemoScenario Scenario { get; init; } = DemoScenario.Healthy;

    public void Validate()
    {
        // Negated ranges, so that NaN fails them too.
        if (!(SpeedUp is >= 1 and <= 1000))
        {
            throw new ArgumentException($"--demo-speed-up: expected 1 to 1000, got {SpeedUp.ToString(System.Globalization.CultureInfo.InvariantCulture)}.");
        }

        if (!(StartBehindNow >= TimeSpan.Zero && StartBehindNow <= TimeSpan.FromDays(6)))
        {
            throw new ArgumentException($"--demo-start-behind: expected 0s to 6d (events older than 7 days are refused), got {StartBehindNow}.");
        }

        if (!(SessionsPerSecond is > 0 and <= 10_000) || !(MalformedShare is >= 0 and <= 1))
        {
            throw new ArgumentException("Demo options: expected sessions per second above 0 and at most 10000 and a malformed share of 0 to 1.");
        }
    }
}
