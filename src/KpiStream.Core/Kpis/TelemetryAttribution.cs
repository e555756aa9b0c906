using KpiStream.Core.Events;
using KpiStream.Core.Journeys;
using KpiStream.Core.Windows;

namespace KpiStream.Core.Kpis;

/// <summary>
/// Which journeys a request served, and what it adds to each: the journey it is tagged with, or
/// every journey that declares its service. It counts in the segment of its region; segment
/// attributes telemetry does not carry are <see cref="Segment.Unattributed"/>.
/// </summary>
public static class TelemetryAttribution
{
    public static IReadOnlyList<KpiDelta> Deltas(JourneyCatalog catalog, ServiceTelemetry request, TimeSpan windowSize)
    {
        var journeys = request.Journey is { Length: > 0 } tagged
            ? catalog.Find(tagged) is { } journey ? [journey] : []
            : catalog.Journeys.Where(j => j.Services.Contains(request.Service)).ToList();
        if (journeys.Count == 0)
        {
            return [];
        }

        var counters = KpiCounters.Zero with { Requests = 1, RequestErrors = IsError(request) ? 1 : 0, Latency = LatencyHistogram.Of(TimeSpan.FromMilliseconds(request.DurationMs)) };
        var window = TumblingWindow.Containing(request.Timestamp, windowSize);
        return journeys.Select(j =>
        {
            var segment = Segment.Of(j, request, static (r, name) => name == SegmentAttributes.Region ? r.Region : Segment.Unattributed);
            return new KpiDelta(new KpiWindowKey(j.Name, segment.Key, window), segment, counters);
        }).ToList();
    }

    /// <summary>A server error, or an outcome the service itself reports as failed.</summary>
    public static bool IsError(ServiceTelemetry request) =>
        request.StatusCode >= 500 || request.Outcome is RequestOutcome.Error or RequestOutcome.Timeout;
}
