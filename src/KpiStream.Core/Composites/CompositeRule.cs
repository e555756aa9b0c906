using System.Collections.Immutable;
using KpiStream.Core.Kpis;
using KpiStream.Core.Slos;

namespace KpiStream.Core.Composites;

/// <summary>
/// An alert on a combination of a journey's KPIs, declared in YAML: it trips when every condition
/// holds at each of the minute evaluations spanning <see cref="For"/> (one evaluation when For is
/// zero). Judging needs only the journey's minute history and when the alert started, so it is
/// replay-safe; the alert lifecycle adds hysteresis on top.
/// </summary>
public sealed record CompositeRule(
    string Name,
    AlertSeverity Severity,
    ImmutableArray<CompositeCondition> When,
    TimeSpan For,
    TimeSpan ResolveAfter,
    Uri? Runbook)
{
    /// <summary>Without an explicit value, an alert resolves after five clear minutes.</summary>
    public static readonly TimeSpan DefaultResolveAfter = TimeSpan.FromMinutes(5);

    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    /// <summary>Minute evaluations the conditions must hold at in a row.</summary>
    public int Evaluations => Math.Max(1, (int)(For / Minute));

    /// <summary>The minutes whose signals trip the rule: its evaluations and the longest condition window.</summary>
    public TimeSpan Span => (Evaluations - 1) * Minute + When.Max(c => c.Over);

    /// <summary>How much minute history judging needs before the judged minute's end.</summary>
    public TimeSpan Lookback => (Evaluations - 1) * Minute + When.Max(c => c.Lookback);

    /// <param name="sum">The journey's counters summed over [from, to).</param>
    /// <param name="at">The end of the minute judged.</param>
    /// <param name="firingSince">
    /// When the rule's alert started, if it fires: baselines then end where the minutes that
    /// tripped it began, so the fault is never compared with itself, and only the current minute
    /// is judged.
    /// </param>
    public CompositeJudgement Judge(Func<DateTimeOffset, DateTimeOffset, KpiCounters> sum, DateTimeOffset at, DateTimeOffset? firingSince = null)
    {
        var baselineEndsBy = firingSince - Span;
        var readings = When.Select(c => c.Read(sum, at, baselineEndsBy)).ToImmutableArray();
        var holds = readings.All(r => r.Holds);

        // As Prometheus' `for`: it delays firing only. A firing alert stays while its conditions hold
        // now, so one odd minute does not clear the whole span and resolve it.
        var evaluations = firingSince is null ? Evaluations : 1;
        for (var back = 1; holds && back < evaluations; back++)
        {
            holds = When.All(c => c.Read(sum, at - back * Minute, baselineEndsBy).Holds);
        }

        return new CompositeJudgement(holds, readings);
    }
}
