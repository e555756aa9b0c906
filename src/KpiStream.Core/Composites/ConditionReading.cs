using System.Globalization;

namespace KpiStream.Core.Composites;

/// <summary>What a condition saw at one evaluation: the signal now, over its baseline window if it has one, and whether it held.</summary>
public sealed record ConditionReading(CompositeCondition Condition, SignalValue Current, SignalValue Baseline, bool Holds)
{
    /// <summary>For people: "latency_p95_ms over 5m = 1920 (above 1500)".</summary>
    public override string ToString()
    {
        var now = Current.Value is { } v ? v.ToString("0.###", CultureInfo.InvariantCulture) : "n/a";
        var before = Condition.IsRelative
            ? $", baseline {(Baseline.Value is { } b ? b.ToString("0.###", CultureInfo.InvariantCulture) : "n/a")}"
            : "";
        return $"{Condition.Signal.Name()} = {now}{before} ({Condition})";
    }
}
