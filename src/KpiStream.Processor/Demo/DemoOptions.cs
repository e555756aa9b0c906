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
        if (SpeedUp is < 1 or > 1000 || SessionsPerSecond is <= 0 or > 10_000 || MalformedShare is < 0 or > 1)
        {
            throw new ArgumentException("Demo options: expected speed-up 1..1000, sessions per second 0..10000 and malformed share 0..1.");
        }
    }
}
