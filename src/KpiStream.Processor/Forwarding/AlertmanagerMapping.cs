using System.Globalization;
using KpiStream.Core.Slos;
using KpiStream.Processor.Configuration;

namespace KpiStream.Processor.Forwarding;

/// <summary>
/// A kpi.alerts record as an Alertmanager alert. Labels identify it for Alertmanager's grouping
/// and routing and stay the same for the alert's life (alertname, journey, slo, severity, owner,
/// segment, incident); the rest is annotations. Alertmanager keeps wall-clock time, the alert
/// event time: an event time ahead of the clock (a replay, the demo sped up) is taken as now.
/// </summary>
public static class AlertmanagerMapping
{
    /// <summary>How many resend intervals a firing alert's endsAt lies ahead: it resolves by itself only if the forwarder stops (as Prometheus does).</summary>
    public const int ResendsBeforeExpiry = 4;

    public static AlertmanagerAlert For(SloAlert alert, DateTimeOffset now, TimeSpan resendInterval)
    {
        var startsAt = alert.StartedAt < now ? alert.StartedAt : now;
        var endsAt = alert.Status == AlertStatus.Firing
            ? now + (resendInterval * ResendsBeforeExpiry)
            : Max(startsAt, alert.EndedAt is { } ended && ended < now ? ended : now);
        var labels = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["alertname"] = alert.Slo,
            ["journey"] = alert.Journey,
            ["slo"] = alert.Slo,
            ["severity"] = alert.Severity.ToString().ToLowerInvariant(),
            ["owner"] = alert.Owner,
            ["segment"] = alert.SegmentKey,
        };
        if (alert.IncidentId is { } incident)
        {
            labels["incident"] = incident;
        }

        var annotations = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["summary"] = alert.Summary,
            ["alert_id"] = alert.AlertId,
            ["affected_sessions"] = alert.Impact.AffectedSessions.ToString(CultureInfo.InvariantCulture),
            ["revenue_at_risk_minor"] = alert.Impact.RevenueAtRiskMinor.ToString(CultureInfo.InvariantCulture),
            ["impact_score"] = alert.Impact.Score.ToString("0.##", CultureInfo.InvariantCulture),
            ["burn_rates"] = string.Join(" ", DurationText.ShortestFirst(alert.BurnRates).Select(b => string.Create(CultureInfo.InvariantCulture, $"{b.Key}={b.Value:0.#}x"))),
            ["budget_consumed"] = alert.BudgetConsumed.ToString("0.###", CultureInfo.InvariantCulture),
        };
        if (alert.Runbook is { } runbook)
        {
            annotations["runbook_url"] = runbook.ToString();
        }

        if (alert.Deploys.Length > 0)
        {
            annotations["deploys"] = string.Join(" ", alert.Deploys);
        }

        if (alert.Annotation)
        {
            // Labels must not change during an alert's life; that it annotates its incident is said here.
            annotations["annotation_of_incident"] = "true";
        }

        return new AlertmanagerAlert(labels, annotations, startsAt, endsAt);
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
