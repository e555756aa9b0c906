using System.Collections.Concurrent;
using KpiStream.Core.Kpis;

namespace KpiStream.Processor.Kpis;

/// <summary>The most recent KPI window per journey and segment, open or final, for the live terminal view.</summary>
public sealed class LatestKpiBoard
{
    private readonly ConcurrentDictionary<(string Journey, string Segment), BoardEntry> _latest = new();

    public void Update(KpiWindow window, bool isFinal) =>
        _latest.AddOrUpdate(
            (window.Journey, window.Segment.Key),
            new BoardEntry(window, isFinal),
            (_, current) => window.Window.Start >= current.Window.Window.Start ? new BoardEntry(window, isFinal) : current);

    public IReadOnlyList<BoardEntry> Snapshot() =>
        _latest.Values.OrderBy(e => e.Window.Journey, StringComparer.Ordinal).ThenBy(e => e.Window.Segment.Key, StringComparer.Ordinal).ToList();
}

/// <summary>A window on the board; open windows may still change.</summary>
public sealed record BoardEntry(KpiWindow Window, bool IsFinal);
