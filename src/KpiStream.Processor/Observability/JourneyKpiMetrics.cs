using KpiStream.Core.Kpis;
using KpiStream.Processor.Conventions;
using Prometheus;

namespace KpiStream.Processor.Observability;

/// <summary>
/// Each journey's KPIs as of its last final minute, journey-wide (every segment summed) so that
/// the series stay as few as the journeys: for dashboards and Prometheus rules beside the
/// KPI topic. A ratio the minute cannot define (no outcome, no session, no request) is NaN.
/// </summary>
public sealed class JourneyKpiMetrics(MetricFactory factory)
{
    private readonly Gauge _minute = factory.CreateGauge(MetricNames.JourneyMinute, "Start of the journey's last final minute (event time), whose KPIs the other kpistream_journey_ gauges hold.", MetricNames.JourneyLabel);
    private readonly Gauge _attempts = factory.CreateGauge(MetricNames.JourneyAttempts, "Attempts (start events) in the journey's last final minute.", MetricNames.JourneyLabel);
    private readonly Gauge _success = factory.CreateGauge(MetricNames.JourneySuccess, "Successes / (successes + failures) in the journey's last final minute.", MetricNames.JourneyLabel);
    private readonly Gauge _conversion = factory.CreateGauge(MetricNames.JourneyConversion, "Sessions converted / sessions started in the journey's last final minute.", MetricNames.JourneyLabel);
    private readonly Gauge _requestErrors = factory.CreateGauge(MetricNames.JourneyRequestErrors, "Erroneous requests / requests of the journey's services in its last final minute.", MetricNames.JourneyLabel);
    private readonly Gauge _latencyP95 = factory.CreateGauge(MetricNames.JourneyLatencyP95, "95th percentile latency of the journey's requests in its last final minute.", MetricNames.JourneyLabel);
    private readonly Gauge _revenue = factory.CreateGauge(MetricNames.JourneyRevenue, "Revenue of the journey's last final minute, minor units, per currency.", MetricNames.JourneyLabel, MetricNames.CurrencyLabel);

    public void Minute(string journey, DateTimeOffset start, KpiCounters counters)
    {
        _minute.WithLabels(journey).Set(start.ToUnixTimeMilliseconds() / 1000.0);
        _attempts.WithLabels(journey).Set(counters.Attempts);
        _success.WithLabels(journey).Set(counters.SuccessRate ?? double.NaN);
        _conversion.WithLabels(journey).Set(counters.ConversionRate ?? double.NaN);
        _requestErrors.WithLabels(journey).Set(counters.Requests == 0 ? double.NaN : (double)counters.RequestErrors / counters.Requests);
        _latencyP95.WithLabels(journey).Set(counters.Latency.Percentile(95)?.TotalSeconds ?? double.NaN);
        foreach (var (currency, amount) in counters.Revenue.Amounts)
        {
            _revenue.WithLabels(journey, currency).Set(amount);
        }

        // A currency the minute did not earn in earned nothing, rather than what it earned before.
        foreach (var labels in _revenue.GetAllLabelValues().Where(l => l[0] == journey && !counters.Revenue.Amounts.ContainsKey(l[1])))
        {
            _revenue.WithLabels(labels).Set(0);
        }
    }
}
