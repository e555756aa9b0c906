using KpiStream.Processor.Conventions;
using Prometheus;

namespace KpiStream.Processor.Forwarding;

/// <summary>The forwarder's own series: what it sent, what failed, what it holds.</summary>
public sealed class ForwarderMetrics(MetricFactory factory)
{
    private readonly Counter _sent = factory.CreateCounter(MetricNames.ForwarderAlertsSent, "Alerts (firing and resolved) an Alertmanager accepted.", MetricNames.AlertmanagerLabel);
    private readonly Counter _failures = factory.CreateCounter(MetricNames.ForwarderSendFailures, "Posts to an Alertmanager that failed after their retries; what they held is sent again next round.", MetricNames.AlertmanagerLabel);
    private readonly Gauge _lastAccepted = factory.CreateGauge(
        MetricNames.ForwarderLastAccepted,
        "When an Alertmanager last accepted a post (with or without alerts), since the Unix epoch; the forwarder's start until it first does.",
        MetricNames.AlertmanagerLabel);
    private readonly Gauge _firing = factory.CreateGauge(MetricNames.ForwarderAlertsFiring, "Firing alerts the forwarder sends at every interval.");
    private readonly Gauge _pending = factory.CreateGauge(MetricNames.ForwarderPendingResolutions, "Resolutions not yet accepted by the Alertmanager furthest behind.");
    private readonly Counter _dropped = factory.CreateCounter(MetricNames.ForwarderResolutionsDropped, "Resolutions dropped undelivered because too many were pending.");
    private readonly Counter _skipped = factory.CreateCounter(MetricNames.ForwarderRecordsSkipped, "kpi.alerts records the forwarder could not decode and skipped.");

    /// <summary>Every Alertmanager counts as reached at the start, so one that never accepts a post ages like one that stopped.</summary>
    public void Started(IEnumerable<Uri> alertmanagers, DateTimeOffset now)
    {
        foreach (var alertmanager in alertmanagers)
        {
            _lastAccepted.WithLabels(alertmanager.ToString()).SetToTimeUtc(now);
        }
    }

    public void Sent(Uri alertmanager, int alerts, DateTimeOffset now)
    {
        _sent.WithLabels(alertmanager.ToString()).Inc(alerts);
        _lastAccepted.WithLabels(alertmanager.ToString()).SetToTimeUtc(now);
    }

    public void Failed(Uri alertmanager) => _failures.WithLabels(alertmanager.ToString()).Inc();

    public void Holding(int firing, int pending)
    {
        _firing.Set(firing);
        _pending.Set(pending);
    }

    public void Dropped(int resolutions) => _dropped.Inc(resolutions);

    public void Skipped() => _skipped.Inc();
}
