namespace KpiStream.Processor.Forwarding;

/// <summary>Where and how the forwarder sends kpi.alerts to Alertmanager.</summary>
public sealed record AlertmanagerOptions
{
    /// <summary>Alertmanager's default resolve_timeout: an alert not re-sent within it resolves by itself.</summary>
    public static readonly TimeSpan AlertmanagerResolveTimeout = TimeSpan.FromMinutes(5);

    /// <summary>Every Alertmanager of the cluster; each gets every alert, as Prometheus sends to each.</summary>
    public IReadOnlyList<Uri> Urls { get; init; } = [];

    /// <summary>How often firing alerts are sent again, so Alertmanager never resolves one by itself.</summary>
    public TimeSpan ResendInterval { get; init; } = TimeSpan.FromMinutes(1);

    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Sent to every Alertmanager of <see cref="Urls"/>; null sends none.</summary>
    public AlertmanagerCredentials? Credentials { get; init; }

    /// <summary>The authorities an https:// Alertmanager's certificate must chain to; null trusts the system's.</summary>
    public AlertmanagerTrust? Trust { get; init; }

    /// <summary>Resolutions not yet delivered to every Alertmanager that are kept; beyond it the oldest are dropped and counted.</summary>
    public int MaxPendingResolutions { get; init; } = 10_000;

    /// <summary>How far back (by when they ended) the resolutions read while catching up after a start are sent, for alerts that resolved while no forwarder ran.</summary>
    public TimeSpan ResolvedLookback { get; init; } = TimeSpan.FromHours(1);

    public void Validate()
    {
        if (Urls.Count == 0)
        {
            throw new ArgumentException("--alertmanager-url: expected at least one Alertmanager URL, such as http://alertmanager:9093.");
        }

        // Alertmanager would resolve a firing alert that is not re-sent within its resolve timeout.
        if (ResendInterval < TimeSpan.FromSeconds(1) || ResendInterval > AlertmanagerResolveTimeout / 2)
        {
            throw new ArgumentException($"--alertmanager-resend-interval: expected 1s to {AlertmanagerResolveTimeout / 2:m\\m\\ s\\s} (half of Alertmanager's default resolve timeout), got {ResendInterval}.");
        }
    }
}
