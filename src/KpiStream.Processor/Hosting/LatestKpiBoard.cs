using System.Collections.Concurrent;
using KpiStream.Core.Incidents;
using KpiStream.Core.Kpis;
using KpiStream.Core.Slos;
using KpiStream.Processor.Kpis;
using KpiStream.Processor.Kpis.Alerting;
using KpiStream.Processor.Kpis.Windows;

namespace KpiStream.Processor.Hosting;

/// <summary>
/// What the live terminal view shows: the newest KPI window per journey and segment, each
/// journey's SLOs as last judged, the incidents open now and the last ones closed, the alerts firing now and the last ones resolved. The newest window is almost always still open (final
/// ones lag by the conversion timeout), so its values may grow.
/// </summary>
/// <remarks>
/// Minute buckets are kept as they are and merged when read: a bucket changes with every partial
/// snapshot stage 2 receives, and the view reads it about once a second.
/// </remarks>
public sealed class LatestKpiBoard : IKpiBoard
{
    private const int ResolvedKept = 5;

    private readonly ConcurrentDictionary<(string Journey, string Segment), MinuteBucket> _latest = new();
    private readonly OpenAndRecentlyEnded<SloAlert> _alerts = new(ResolvedKept);
    private readonly OpenAndRecentlyEnded<IncidentReport> _incidents = new(ResolvedKept);
    private readonly ConcurrentDictionary<(string Journey, string Slo), SloStatus> _slos = new();

    public void Update(MinuteBucket bucket) =>
        _latest.AddOrUpdate((bucket.Journey, bucket.Segment.Key), bucket, (_, current) => bucket.Window.Start >= current.Window.Start ? bucket : current);

    public void Update(SloAlert alert) => _alerts.Update(alert.AlertId, alert, alert.Status == AlertStatus.Firing);

    public void Update(IncidentReport incident) => _incidents.Update(incident.IncidentId, incident, incident.State == IncidentState.Open);

    public void Update(SloStatus status) => _slos[(status.Journey, status.Slo)] = status;

    public IReadOnlyList<SloStatus> Slos() =>
        [.. _slos.Values.OrderBy(s => s.Journey, StringComparer.Ordinal).ThenBy(s => s.Slo, StringComparer.Ordinal)];

    public IReadOnlyList<KpiWindow> Snapshot() =>
        _latest.Values.OrderBy(b => b.Journey, StringComparer.Ordinal).ThenBy(b => b.Segment.Key, StringComparer.Ordinal).Select(b => b.Merged()).ToList();

    /// <summary>Firing alerts that are not annotations of an incident, most urgent and highest impact first, then the last resolved ones.</summary>
    public IReadOnlyList<SloAlert> Alerts() =>
        [.. _alerts.Open.Where(a => !a.Annotation).OrderBy(a => a.Severity).ThenByDescending(a => a.Impact.Score), .. _alerts.RecentlyEnded];

    /// <summary>Open incidents, most urgent and highest impact first, then the last closed ones.</summary>
    public IReadOnlyList<IncidentReport> Incidents() =>
        [.. _incidents.Open.OrderBy(i => i.Severity).ThenByDescending(i => i.Impact.Score), .. _incidents.RecentlyEnded];
}
