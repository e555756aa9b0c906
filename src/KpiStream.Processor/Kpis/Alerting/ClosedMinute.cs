using KpiStream.Core.Journeys;
using KpiStream.Core.Kpis;

namespace KpiStream.Processor.Kpis.Alerting;

/// <summary>One journey's minute whose SLIs are final: every segment of it, and their sum.</summary>
public sealed record ClosedMinute(JourneySpec Journey, DateTimeOffset Start, IReadOnlyList<KpiWindow> Segments, KpiCounters Total)
{
    /// <summary>The signal's minutes of configured journeys, grouped by journey and minute (every segment of a closed minute arrives in the same signal), oldest first.</summary>
    public static IReadOnlyList<ClosedMinute> Of(ClosedMinutes signal, JourneyCatalog catalog) =>
        [.. signal.Minutes
            .GroupBy(m => (m.Journey, m.Window.Start))
            .OrderBy(g => g.Key.Start)
            .Select(g => catalog.Find(g.Key.Journey) is { } journey ? new ClosedMinute(journey, g.Key.Start, [.. g], KpiCounters.Sum(g.Select(m => m.Counters))) : null)
            .OfType<ClosedMinute>()];
}
