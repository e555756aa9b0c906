using KpiStream.Core.Events;
using KpiStream.Core.Kpis;

namespace KpiStream.Processor.Kpis.Alerting;

/// <summary>What the window stage hands the alerting stage.</summary>
public abstract record AlertingInput;

/// <summary>
/// The window stage's watermark moved: the minutes whose SLIs became final (end + grace passed;
/// conversions may still grow, SLIs do not), and the end of the last minute now closed for every
/// journey and segment, with or without traffic.
/// </summary>
public sealed record ClosedMinutes(IReadOnlyList<KpiWindow> Minutes, DateTimeOffset ClosedThrough) : AlertingInput
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

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
public sealed record DeployObserved(DeploymentMarker Deploy) : AlertingInput;
