using System.Collections.Concurrent;
using KpiStream.Core.Incidents;
using KpiStream.Core.Slos;
using KpiStream.Processor.Conventions;
using Prometheus;

namespace KpiStream.Processor.Observability;

/// <summary>
/// SLO status and alerts as Prometheus series, for Grafana. Journeys, SLOs, windows and severities
/// come from configuration; segments come from data, so each journey exports at most
/// <see cref="MaxSegmentsPerJourney"/> of them (the first seen) and counts the series it drops.
/// </summary>
public sealed class SloMetrics
{
    public const int MaxSegmentsPerJourney = 100;

    private readonly Gauge _burnRate;
    private readonly Gauge _budgetRemaining;
    private readonly Gauge _sli;
    private readonly Counter _dropped;
    private readonly Counter _notJudged;
    private readonly Counter _belowFloor;
    private readonly Counter _alerts;
    private readonly Gauge _firing;
    private readonly Histogram _detectionDelay;
    private readonly Counter _incidentsOpened;
    private readonly Gauge _incidentsOpen;
    private readonly Gauge _meanTimeToDetect;
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, bool>> _segments = new(StringComparer.Ordinal);

    public SloMetrics(MetricFactory factory)
    {
        string[] subject = [MetricNames.JourneyLabel, MetricNames.SegmentLabel, MetricNames.SloLabel];
        _burnRate = factory.CreateGauge(MetricNames.SloBurnRate, "Error rate over the window divided by the rate the objective allows, at the last closed minute.", [.. subject, MetricNames.WindowLabel]);
        _budgetRemaining = factory.CreateGauge(MetricNames.SloErrorBudgetRemaining, "Share of the SLO period's error budget left (negative once overspent).", subject);
        _sli = factory.CreateGauge(MetricNames.SloSli, "Good / total outcomes over the SLO period so far.", subject);
        _dropped = factory.CreateCounter(MetricNames.SloSeriesDropped, "SLO status updates not exported because the journey already has the maximum number of segment series.", MetricNames.JourneyLabel);
        _notJudged = factory.CreateCounter(MetricNames.SloSegmentsNotJudged, "Segments of an SLO beyond the bound of judged segments per SLO: reported, but not alerting on their own.", MetricNames.JourneyLabel, MetricNames.SloLabel);
        _belowFloor = factory.CreateCounter(MetricNames.SloSegmentTripsBelowFloor, "Minute ends at which a segment burned past a rule's threshold on less traffic than the journey's segment traffic floor, so it did not alert.", MetricNames.JourneyLabel, MetricNames.SloLabel);
        _alerts = factory.CreateCounter(MetricNames.Alerts, "Alert state changes written to kpi.alerts.", MetricNames.SeverityLabel, MetricNames.StateLabel);
        _detectionDelay = factory.CreateHistogram(MetricNames.AlertDetectionDelay, "Event time from the estimated onset of what tripped an SLO alert to its firing (mean time to detect over 28 days: increase of _sum over increase of _count).", new HistogramConfiguration
        {
            LabelNames = [MetricNames.JourneyLabel, MetricNames.SeverityLabel],
            Buckets = [60, 120, 180, 300, 600, 900, 1800, 3600, 7200, 21600, 86400],
        });
        _incidentsOpened = factory.CreateCounter(MetricNames.IncidentsOpened, "Incidents opened: alerts of one journey overlapping in time count once.", MetricNames.JourneyLabel, MetricNames.SeverityLabel);
        _incidentsOpen = factory.CreateGauge(MetricNames.IncidentsOpen, "Incidents open now.", MetricNames.JourneyLabel);
        _meanTimeToDetect = factory.CreateGauge(MetricNames.MeanTimeToDetect, "Mean event time from the estimated onset to the opening of the journey's incidents of the last 28 days of event time that estimate one.", MetricNames.JourneyLabel);
        _firing = factory.CreateGauge(MetricNames.AlertsFiring, "Alerts firing now.", MetricNames.JourneyLabel, MetricNames.SloLabel, MetricNames.SeverityLabel);
    }

    public void Status(string journey, string segment, string slo, IReadOnlyDictionary<string, double> burnRates, ErrorBudget budget)
    {
        var segments = _segments.GetOrAdd(journey, _ => new(StringComparer.Ordinal));
        if (!segments.ContainsKey(segment) && (segments.Count >= MaxSegmentsPerJourney || !segments.TryAdd(segment, true)))
        {
            _dropped.WithLabels(journey).Inc();
            return;
        }

        foreach (var (window, rate) in burnRates)
        {
            _burnRate.WithLabels(journey, segment, slo, window).Set(rate);
        }

        _budgetRemaining.WithLabels(journey, segment, slo).Set(budget.Remaining);
        if (budget.Period.Total > 0)
        {
            _sli.WithLabels(journey, segment, slo).Set((double)budget.Period.Good / budget.Period.Total);
        }
    }

    public void SegmentNotJudged(string journey, string slo) => _notJudged.WithLabels(journey, slo).Inc();

    public void SegmentBelowTrafficFloor(string journey, string slo) => _belowFloor.WithLabels(journey, slo).Inc();

    public void AlertChanged(SloAlert alert)
    {
        var severity = alert.Severity.ToString().ToLowerInvariant();
        _alerts.WithLabels(severity, alert.Status.ToString().ToLowerInvariant()).Inc();
        var firing = _firing.WithLabels(alert.Journey, alert.Slo, severity);
        if (alert.Status == AlertStatus.Firing)
        {
            firing.Inc();
            if (alert.DetectionDelay is { } delay)
            {
                _detectionDelay.WithLabels(alert.Journey, severity).Observe(delay.TotalSeconds);
            }
        }
        else
        {
            firing.Dec();
        }
    }

    public void AlertsHeld(string journey, string name, AlertSeverity severity, int change) =>
        _firing.WithLabels(journey, name, severity.ToString().ToLowerInvariant()).Inc(change);

    /// <remarks>Severity as it opened: a ticket that later pages was still opened as a ticket.</remarks>
    public void IncidentOpened(IncidentReport incident) =>
        _incidentsOpened.WithLabels(incident.Journey, incident.Severity.ToString().ToLowerInvariant()).Inc();

    public void IncidentsHeld(string journey, int change) => _incidentsOpen.WithLabels(journey).Inc(change);

    public void MeanTimeToDetect(string journey, TimeSpan? mean)
    {
        if (mean is { } value)
        {
            _meanTimeToDetect.WithLabels(journey).Set(value.TotalSeconds);
        }
        else
        {
            _meanTimeToDetect.RemoveLabelled(journey);
        }
    }
}
