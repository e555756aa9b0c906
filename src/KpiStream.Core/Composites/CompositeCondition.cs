using System.Globalization;
using KpiStream.Core.Kpis;

namespace KpiStream.Core.Composites;

/// <summary>
/// One clause of a composite alert: a signal over the trailing <see cref="Over"/> window compared
/// with a threshold, or with the same signal over the <see cref="Baseline"/> window just before it.
/// A value resting on fewer than <see cref="MinimumSamples"/> samples (in either window) never holds,
/// so a quiet minute cannot page.
/// </summary>
/// <param name="Threshold">In the signal's unit for Above and Below; a fraction (0.08 = 8%) for DropsBy and RisesBy.</param>
public sealed record CompositeCondition(
    KpiSignal Signal,
    SignalComparison Comparison,
    double Threshold,
    TimeSpan Over,
    TimeSpan? Baseline,
    long MinimumSamples)
{
    /// <summary>Without an explicit window, a signal is read over the last five minutes.</summary>
    public static readonly TimeSpan DefaultOver = TimeSpan.FromMinutes(5);

    /// <summary>Fewer samples than this (attempts, outcomes or requests) in a window and a condition does not hold.</summary>
    public const long DefaultMinimumSamples = 20;

    // Thresholds written as round decimals (8%) must hold at exactly that change despite binary rounding.
    private const double Tolerance = 1e-9;

    public bool IsRelative => Comparison is SignalComparison.DropsBy or SignalComparison.RisesBy;

    /// <summary>How far back this condition reads from the end of the minute it judges.</summary>
    public TimeSpan Lookback => Over + (Baseline ?? TimeSpan.Zero);

    /// <param name="sum">The journey's counters summed over [from, to).</param>
    /// <param name="at">The end of the minute judged.</param>
    /// <param name="baselineEndsBy">
    /// The latest the baseline window may end, when earlier than the start of <see cref="Over"/>:
    /// while an alert fires, its baseline stays before the fault, or a long fault would become its
    /// own baseline and resolve the alert while customers still suffer.
    /// </param>
    public ConditionReading Read(Func<DateTimeOffset, DateTimeOffset, KpiCounters> sum, DateTimeOffset at, DateTimeOffset? baselineEndsBy = null)
    {
        var current = Signal.Read(sum(at - Over, at), Over);
        var baselineEnd = baselineEndsBy is { } limit && limit < at - Over ? limit : at - Over;
        var baseline = Baseline is { } b ? Signal.Read(sum(baselineEnd - b, baselineEnd), b) : default;
        return new ConditionReading(this, current, baseline, Holds(current, baseline));
    }

    public override string ToString()
    {
        var signal = $"{Signal.Name()} over {Duration(Over)}";
        return Comparison switch
        {
            SignalComparison.Above => Invariant($"{signal} above {Threshold:0.###}"),
            SignalComparison.Below => Invariant($"{signal} below {Threshold:0.###}"),
            SignalComparison.DropsBy => Invariant($"{signal} down {Threshold * 100:0.##}% on the {Duration(Baseline!.Value)} before"),
            _ => Invariant($"{signal} up {Threshold * 100:0.##}% on the {Duration(Baseline!.Value)} before"),
        };
    }

    private bool Holds(SignalValue current, SignalValue baseline)
    {
        if (current.Value is not { } value || current.Samples < MinimumSamples)
        {
            return false;
        }

        if (!IsRelative)
        {
            return Comparison == SignalComparison.Above ? value > Threshold : value < Threshold;
        }

        if (baseline.Value is not { } before || before <= 0 || baseline.Samples < MinimumSamples)
        {
            return false;
        }

        var change = (value - before) / before;
        return Comparison == SignalComparison.DropsBy ? -change >= Threshold - Tolerance : change >= Threshold - Tolerance;
    }

    private static string Duration(TimeSpan span) =>
        span.TotalHours >= 1 && span.Ticks % TimeSpan.TicksPerHour == 0 ? Invariant($"{span.TotalHours:0}h") : Invariant($"{span.TotalMinutes:0}m");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
