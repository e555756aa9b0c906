using System.Collections.Concurrent;
using KpiStream.Core.Kpis;
using KpiStream.Core.Slos;

namespace KpiStream.Processor.Kpis;

/// <summary>
/// What the live terminal view shows: the newest KPI window per journey and segment, each
/// journey's SLOs as last judged, the alerts firing now and the last ones resolved. The newest window is almost always still open (final
/// ones lag by the conversion timeout), so its values may grow.
/// </summary>
public sealed class LatestKpiBoard
{
    private const int ResolvedKept = 5;

    private readonly ConcurrentDictionary<(string Journey, string Segment), KpiWindow> _latest = new();
    private readonly ConcurrentDictionary<string, SloAlert> _firing = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<SloAlert> _resolved = new();
    private readonly ConcurrentDictionary<(string Journey, string Slo), SloStatus> _slos = new();

    public void Update(KpiWindow window) =>
        _latest.AddOrUpdate((window.Journey, window.Segment.Key), window, (_, current) => window.Window.Start >= current.Window.Start ? window : current);

    public void Update(SloAlert alert)
    {
        if (alert.Status == AlertStatus.Firing)
        {
            _firing[alert.AlertId] = alert;
            return;
        }

        _firing.TryRemove(alert.AlertId, out _);
        _resolved.Enqueue(alert);
        while (_resolved.Count > ResolvedKept)
        {
            _resolved.TryDequeue(out _);
        }
    }

    public void Update(SloStatus status) => _slos[(status.Journey, status.Slo)] = status;

    public IReadOnlyList<SloStatus> Slos() =>
        [.. _slos.Values.OrderBy(s => s.Journey, StringComparer.Ordinal).ThenBy(s => s.Slo, StringComparer.Ordinal)];

    public IReadOnlyList<KpiWindow> Snapshot() =>
        _latest.Values.OrderBy(w => w.Journey, StringComparer.Ordinal).ThenBy(w => w.Segment.Key, StringComparer.Ordinal).ToList();

    /// <summary>Firing alerts, most urgent and highest impact first, then the last resolved ones.</summary>
    public IReadOnlyList<SloAlert> Alerts() =>
        [.. _firing.Values.OrderBy(a => a.Severity).ThenByDescending(a => a.Impact.Score), .. _resolved.Reverse()];
}
