using KpiStream.Processor.Configuration;

namespace KpiStream.Processor.Hosting;

/// <summary>How long start-up waits for an external cluster (or a topic on it) before it gives up with exit code 1: `--startup-timeout` of `run` and `alerts forward`.</summary>
internal static class StartupTimeout
{
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(60);

    public static void Validate(TimeSpan timeout)
    {
        if (timeout < TimeSpan.FromSeconds(1) || timeout > TimeSpan.FromHours(1))
        {
            throw new ArgumentException($"--startup-timeout: expected 1s to 1h, got {DurationText.Format(timeout)}.");
        }
    }
}
