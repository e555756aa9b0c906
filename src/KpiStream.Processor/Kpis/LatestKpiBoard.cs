using System.Collections.Concurrent;
using KpiStream.Core.Kpis;

namespace KpiStream.Processor.Kpis;

/// <summary>
/// The newest KPI window per journey and segment, for the live terminal view. The newest window
/// is almost always still open (final ones lag by the conversion timeout), so its values may grow.
/// </summary>
public sealed class LatestKpiBoard
{
    private readonly ConcurrentDictionary<(string Journey, string Segment), KpiWindow> _latest = new();

    public void Update(KpiWindow window) =>
        _latest.AddOrUpdate((window.Journey, window.Segment.Key), window, (_, current) => window.Window.Start >= current.Window.Start ? window : current);

    public IReadOnlyList<KpiWindow> Snapshot() =>
        _latest.Values.OrderBy(w => w.Journey, StringComparer.Ordinal).ThenBy(w => w.Segment.Key, StringComparer.Ordinal).ToList();
}
