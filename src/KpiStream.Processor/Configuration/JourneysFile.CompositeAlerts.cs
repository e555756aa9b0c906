using System.Collections.Immutable;
using System.Globalization;
using KpiStream.Core.Composites;
using YamlDotNet.RepresentationModel;

namespace KpiStream.Processor.Configuration;

/// <summary>A journey's <c>compositeAlerts</c>: alerts on combinations of its KPIs (all conditions must hold).</summary>
public static partial class JourneysFile
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

    private sealed partial class Reader
    {
        private ImmutableArray<CompositeRule> ReadCompositeAlerts(YamlMappingNode journey, string journeyPath, IEnumerable<string> sloNames)
        {
            if (!journey.Children.TryGetValue("compositeAlerts", out var list))
            {
                return [];
            }

            if (list is not YamlSequenceNode sequence)
            {
                Error(list, $"{journeyPath}.compositeAlerts", "expected a list of composite alerts");
                return [];
            }

            var taken = new HashSet<string>(sloNames, StringComparer.Ordinal);
            var rules = ImmutableArray.CreateBuilder<CompositeRule>();
            for (var i = 0; i < sequence.Children.Count; i++)
            {
                var path = $"{journeyPath}.compositeAlerts[{i}]";
                if (Mapping(sequence.Children[i], path) is not { } node || ReadCompositeAlert(node, path) is not { } rule)
                {
                    continue;
                }

                if (!taken.Add(rule.Name))
                {
                    Error(node, $"{path}.name", $"expected a name no other SLO or composite alert of the journey has, '{rule.Name}' is taken");
                    continue;
                }

                rules.Add(rule);
            }

            return rules.ToImmutable();
        }

        private CompositeRule? ReadCompositeAlert(YamlMappingNode node, string path)
        {
            var errorsBefore = Errors.Count;
            CheckFields(node, path, CompositeFields);
            var name = Name(node, path, "name");
            var severity = Severity(node, path);
            var holdFor = WholeMinutes(node, path, "for", allowZero: true) ?? TimeSpan.Zero;
            var resolveAfter = Duration(node, path, "resolveAfter", required: false) ?? CompositeRule.DefaultResolveAfter;
            var runbook = Runbook(node, path);
            var conditions = ImmutableArray.CreateBuilder<CompositeCondition>();
            if (Child(node, path, "when") is { } whenNode)
            {
                if (whenNode is YamlSequenceNode { Children.Count: > 0 } whenSequence)
                {
                    for (var c = 0; c < whenSequence.Children.Count; c++)
                    {
                        if (Mapping(whenSequence.Children[c], $"{path}.when[{c}]") is { } conditionNode && ReadCondition(conditionNode, $"{path}.when[{c}]") is { } condition)
                        {
                            conditions.Add(condition);
                        }
                    }
                }
                else
                {
                    Error(whenNode, $"{path}.when", "expected a non-empty list of conditions, all of which must hold");
                }
            }

            return Errors.Count > errorsBefore ? null : new CompositeRule(name!, severity, conditions.ToImmutable(), holdFor, resolveAfter, runbook);
        }

        private CompositeCondition? ReadCondition(YamlMappingNode node, string path)
        {
            var errorsBefore = Errors.Count;
            CheckFields(node, path, ConditionFields);
            var signalNode = Scalar(node, path, "signal", required: true);
            KpiSignal signal = default;
            if (signalNode is not null && !KpiSignals.ByName.TryGetValue(signalNode.Value!, out signal))
            {
                Error(signalNode, $"{path}.signal", $"expected one of {string.Join(", ", KpiSignals.ByName.Keys)}, got '{signalNode.Value}'");
            }

            var given = Comparisons.Keys.Where(k => node.Children.ContainsKey(k)).ToList();
            if (given.Count != 1)
            {
                Error(node, path, $"expected exactly one of {string.Join(", ", Comparisons.Keys)}, got {(given.Count == 0 ? "none" : string.Join(", ", given))}");
                return null;
            }

            var comparison = Comparisons[given[0]];
            var relative = comparison is SignalComparison.DropsBy or SignalComparison.RisesBy;
            var threshold = relative ? Fraction(node, path, given[0], comparison == SignalComparison.DropsBy ? 1 : 100) : Number(node, path, given[0], double.MinValue, double.MaxValue);
            var over = WholeMinutes(node, path, "over", allowZero: false) ?? CompositeCondition.DefaultOver;
            var baseline = WholeMinutes(node, path, "baseline", allowZero: false);
            if (relative && baseline is null && !node.Children.ContainsKey("baseline"))
            {
                Error(node, $"{path}.baseline", $"expected the window before 'over' to compare with, such as 1h, for {given[0]}; found none");
            }
            else if (!relative && node.Children.TryGetValue("baseline", out var baselineNode))
            {
                Error(baselineNode, $"{path}.baseline", $"expected no baseline: only dropsBy and risesBy compare with one");
            }

            long minimumSamples = CompositeCondition.DefaultMinimumSamples;
            if (Scalar(node, path, "minimumSamples", required: false) is { } samplesNode
                && (!long.TryParse(samplesNode.Value, NumberStyles.None, CultureInfo.InvariantCulture, out minimumSamples) || minimumSamples > 1_000_000_000))
            {
                Error(samplesNode, $"{path}.minimumSamples", $"expected a whole number from 0 to 1000000000, got '{samplesNode.Value}'");
            }

            return Errors.Count > errorsBefore ? null : new CompositeCondition(signal, comparison, threshold!.Value, over, baseline, minimumSamples);
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

            Error(scalar, $"{path}.{field}", string.Create(CultureInfo.InvariantCulture, $"expected a change above 0 and at most {max * 100}%, written as 8% or 0.08, got '{scalar.Value}'"));
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

            Error(child!, $"{path}.{field}", $"expected a whole number of minutes such as 5m or 1h, got '{((YamlScalarNode)child!).Value}'");
            return null;
        }
    }
}
