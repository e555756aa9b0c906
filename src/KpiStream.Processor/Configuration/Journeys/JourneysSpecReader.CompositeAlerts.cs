using System.Collections.Immutable;
using System.Globalization;
using KpiStream.Core.Composites;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace KpiStream.Processor.Configuration.Journeys;

/// <summary>A journey's <c>compositeAlerts</c>: alerts on combinations of its KPIs (all conditions must hold).</summary>
public sealed partial class JourneysSpecReader
{
    private static readonly string[] CompositeFields = ["name", "severity", "for", "resolveAfter", "runbook", "when"];
    private static readonly string[] ConditionFields = ["signal", "above", "below", "dropsBy", "risesBy", "over", "baseline", "minimumSamples"];
    private static readonly Dictionary<string, SignalComparison> Comparisons = new(StringComparer.Ordinal)
    {
        ["above"] = SignalComparison.Above,
        ["below"] = SignalComparison.Below,
        ["dropsBy"] = SignalComparison.DropsBy,
        ["risesBy"] = SignalComparison.RisesBy,
    };

    private ImmutableArray<CompositeAlertSpecV1> ReadCompositeAlerts(YamlMappingNode journey, string journeyPath)
    {
        if (!journey.Children.TryGetValue("compositeAlerts", out var list))
        {
            return [];
        }

        if (list is not YamlSequenceNode sequence)
        {
            errors.Add(list.Start, $"{journeyPath}.compositeAlerts", "expected a list of composite alerts");
            return [];
        }

        var rules = ImmutableArray.CreateBuilder<CompositeAlertSpecV1>();
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            var path = $"{journeyPath}.compositeAlerts[{i}]";
            if (Mapping(sequence.Children[i], path) is { } node)
            {
                rules.Add(ReadCompositeAlert(node, path));
            }
        }

        return rules.ToImmutable();
    }

    private CompositeAlertSpecV1 ReadCompositeAlert(YamlMappingNode node, string path)
    {
        var errorsBefore = errors.Count;
        CheckFields(node, path, CompositeFields);
        var name = Name(node, path, "name");
        var severity = Severity(node, path);
        var holdFor = WholeMinutes(node, path, "for", allowZero: true) ?? TimeSpan.Zero;
        var resolveAfter = Duration(node, path, "resolveAfter", required: false) ?? CompositeRule.DefaultResolveAfter;
        var runbook = Runbook(node, path);
        var conditions = RequiredList(node, path, "when", "expected a non-empty list of conditions, all of which must hold", ReadCondition);

        return new CompositeAlertSpecV1(node.Start, path, name, severity, holdFor, resolveAfter, runbook, conditions, errors.Count == errorsBefore);
    }

    private ConditionSpecV1 ReadCondition(YamlMappingNode node, string path)
    {
        CheckFields(node, path, ConditionFields);
        var signalNode = Scalar(node, path, "signal", required: true);
        KpiSignal? signal = null;
        if (signalNode is not null)
        {
            if (KpiSignals.ByName.TryGetValue(signalNode.Value!, out var known))
            {
                signal = known;
            }
            else
            {
                errors.Add(signalNode.Start, $"{path}.signal", $"expected one of {string.Join(", ", KpiSignals.ByName.Keys)}, got '{signalNode.Value}'");
            }
        }

        var given = Comparisons.Keys.Where(k => node.Children.ContainsKey(k)).ToList();
        if (given.Count != 1)
        {
            errors.Add(node.Start, path, $"expected exactly one of {string.Join(", ", Comparisons.Keys)}, got {(given.Count == 0 ? "none" : string.Join(", ", given))}");
            return new ConditionSpecV1(node.Start, path, signal, null, null, CompositeCondition.DefaultOver, null, null, CompositeCondition.DefaultMinimumSamples);
        }

        var kind = Comparisons[given[0]];
        var threshold = kind is SignalComparison.DropsBy or SignalComparison.RisesBy
            ? Fraction(node, path, given[0], kind == SignalComparison.DropsBy ? 1 : 100)
            : Number(node, path, given[0], double.MinValue, double.MaxValue);

        var over = WholeMinutes(node, path, "over", allowZero: false) ?? CompositeCondition.DefaultOver;
        var baseline = WholeMinutes(node, path, "baseline", allowZero: false);
        var baselineAt = node.Children.TryGetValue("baseline", out var baselineNode) ? baselineNode.Start : (Mark?)null;
        long minimumSamples = CompositeCondition.DefaultMinimumSamples;
        if (Scalar(node, path, "minimumSamples", required: false) is { } samplesNode
            && (!long.TryParse(samplesNode.Value, NumberStyles.None, CultureInfo.InvariantCulture, out minimumSamples) || minimumSamples > 1_000_000_000))
        {
            errors.Add(samplesNode.Start, $"{path}.minimumSamples", $"expected a whole number from 0 to 1000000000, got '{samplesNode.Value}'");
        }

        return new ConditionSpecV1(node.Start, path, signal, (kind, given[0]), threshold, over, baseline, baselineAt, minimumSamples);
    }

    /// <summary>A change such as 8% or 0.08, as a fraction above 0 and at most <paramref name="max"/>.</summary>
    private double? Fraction(YamlMappingNode node, string path, string field, double max)
    {
        var scalar = Scalar(node, path, field, required: true);
        if (scalar is null)
        {
            return null;
        }

        var text = scalar.Value!.Trim();
        var percent = text.EndsWith('%');
        if (double.TryParse(percent ? text[..^1] : text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            && (percent ? value / 100 : value) is var fraction && fraction > 0 && fraction <= max)
        {
            return fraction;
        }

        errors.Add(scalar.Start, $"{path}.{field}", string.Create(CultureInfo.InvariantCulture, $"expected a change above 0 and at most {max * 100}%, written as 8% or 0.08, got '{scalar.Value}'"));
        return null;
    }

    /// <summary>An optional duration of whole minutes; null when absent or wrong (then reported).</summary>
    private TimeSpan? WholeMinutes(YamlMappingNode node, string path, string field, bool allowZero)
    {
        if (node.Children.TryGetValue(field, out var child) && allowZero && child is YamlScalarNode { Value: "0" })
        {
            return TimeSpan.Zero;
        }

        if (Duration(node, path, field, required: false) is not { } duration)
        {
            return null;
        }

        if (duration.Ticks % TimeSpan.TicksPerMinute == 0)
        {
            return duration;
        }

        errors.Add(child!.Start, $"{path}.{field}", $"expected a whole number of minutes such as 5m or 1h, got '{((YamlScalarNode)child!).Value}'");
        return null;
    }
}
