using KpiStream.Core.Events;
using KpiStream.Core.Kpis;

namespace KpiStream.Processor.Kpis;

/// <summary>What the window stage hands its SLO evaluator.</summary>
public abstract record SloInput;

/// <summary>
/// The window stage's watermark moved: the minutes whose SLIs became final (end + grace passed;
/// conversions may still grow, SLIs do not), and the end of the last minute now closed for every
/// journey and segment, with or without traffic.
/// </summary>
public sealed record ClosedMinutes(IReadOnlyList<KpiWindow> Minutes, DateTimeOffset ClosedThrough) : SloInput
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    // Summed once: the silence watch and the composite judge both read the same signal.
    private IReadOnlyList<JourneyMinute>? _journeyMinutes;

    /// <summary>Each journey's minutes in this signal, all segments summed (every segment of a closed minute arrives in the same signal), oldest first.</summary>
    public IReadOnlyList<JourneyMinute> JourneyMinutes => _journeyMinutes ??=
        [.. Minutes
            .GroupBy(m => (m.Journey, m.Window.Start))
            .Select(g => new JourneyMinute(g.Key.Journey, g.Key.Start, KpiCounters.Sum(g.Select(m => m.Counters))))
            .OrderBy(m => m.Start)];

    /// <summary>
    /// The end of every minute to judge, in order: from the first not yet judged (or, on the first
    /// signal, the first with data) through <see cref="ClosedThrough"/>, at most
    /// <paramref name="maxCatchUp"/> of them when the watermark jumped far (an idle advance over a long gap).
    /// </summary>
    public IEnumerable<DateTimeOffset> MinuteEnds(DateTimeOffset evaluatedThrough, TimeSpan maxCatchUp)
    {
        var first = evaluatedThrough != DateTimeOffset.MinValue ? evaluatedThrough
            : Minutes.Count > 0 ? Minutes.Min(m => m.Window.Start)
            : ClosedThrough - Minute;
        for (var end = (first < ClosedThrough - maxCatchUp ? ClosedThrough - maxCatchUp : first) + Minute; end <= ClosedThrough; end += Minute)
        {
            yield return end;
        }
    }
}

/// <summary>A service was deployed: alerts of the journeys it serves name it when it went out shortly before they fired.</summary>
public sealed record DeployObserved(DeploymentMarker Deploy) : SloInput;
