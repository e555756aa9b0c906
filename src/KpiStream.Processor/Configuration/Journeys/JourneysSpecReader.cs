using System.Collections.Immutable;
using System.Globalization;
using System.Text.RegularExpressions;
using KpiStream.Core.Journeys;
using KpiStream.Core.Privacy;
using KpiStream.Core.Slos;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace KpiStream.Processor.Configuration.Journeys;

/// <summary>
/// Reads the YAML of a kpistream/v1 journeys file into <see cref="JourneysSpecV1"/>: the shape of
/// each part (fields known, required ones present, lists and mappings where they belong) and each
/// value on its own (names, durations, numbers, enumerations, URLs). Rules across values are the
/// <see cref="JourneysSpecValidator"/>'s.
/// </summary>
public sealed partial class JourneysSpecReader(SpecErrors errors)
{
    public const string ApiVersion = "kpistream/v1";

    private static readonly string[] TopLevelFields = ["apiVersion", "impactWeights", "personalFields", "alertPolicies", "journeys"];
    private static readonly string[] JourneyFields = ["name", "owner", "description", "events", "segmentBy", "services", "conversionTimeout", "criticality", "stage", "segmentAlerting", "segmentTrafficFloor", "slos", "compositeAlerts"];
    private static readonly string[] WeightFields = ["reach", "duration"];
    private static readonly string[] EventFields = ["start", "success", "failure"];
    private static readonly string[] SloFields = ["name", "sli", "objective", "period", "threshold", "alertPolicy", "runbook", "segments"];
    private static readonly string[] SegmentObjectiveFields = ["segment", "objective", "criticality"];
    private static readonly string[] PolicyFields = ["name", "resolveAfter", "minimumBadEvents", "rules"];
    private static readonly string[] RuleFields = ["severity", "longWindow", "shortWindow", "burnRate"];
    private static readonly Dictionary<string, AlertSeverity> Severities = new(StringComparer.Ordinal)
    {
        ["page"] = AlertSeverity.Page,
        ["ticket"] = AlertSeverity.Ticket,
    };

    private static readonly Dictionary<string, SliKind> SliKinds = new(StringComparer.Ordinal)
    {
        ["event-ratio"] = SliKind.EventRatio,
        ["latency"] = SliKind.Latency,
        ["availability"] = SliKind.Availability,
    };

    public JourneysSpecV1 Read(YamlMappingNode root)
    {
        CheckFields(root, "", TopLevelFields);
        var weights = ImpactWeights.Default;
        if (Child(root, "", "impactWeights", required: false) is { } weightsNode && Mapping(weightsNode, "impactWeights") is { } weightsMapping)
        {
            CheckFields(weightsMapping, "impactWeights", WeightFields);
            weights = new ImpactWeights(
                Number(weightsMapping, "impactWeights", "reach", 0, 100) ?? ImpactWeights.Default.Reach,
                Number(weightsMapping, "impactWeights", "duration", 0, 100) ?? ImpactWeights.Default.Duration);
        }

        var version = Scalar(root, "", "apiVersion", required: true);
        if (version is not null && version.Value != ApiVersion)
        {
            errors.Add(version.Start, "apiVersion", $"expected '{ApiVersion}', got '{version.Value}'");
        }

        var policies = ReadPolicies(root);
        var journeys = RequiredList(root, "", "journeys", "expected a non-empty list of journeys", ReadJourney, missing: "expected a list of journeys, found none");
        return new JourneysSpecV1(weights, policies, journeys, ReadPersonalFields(root));
    }

    [GeneratedRegex("^[a-z][a-z0-9_-]{0,62}$")]
    private static partial Regex NamePattern();

    /// <summary><c>user_id</c> (personal anyway) and <c>attributes.&lt;name&gt;</c> entries.</summary>
    private ImmutableArray<PersonalAttributeSpecV1> ReadPersonalFields(YamlMappingNode root)
    {
        if (Child(root, "", "personalFields", required: false) is not { } list)
        {
            return [];
        }

        if (list is not YamlSequenceNode sequence)
        {
            errors.Add(list.Start, "personalFields", $"expected a list of fields such as [{PersonalFields.UserId}, {PersonalFields.AttributePrefix}email]");
            return [];
        }

        var attributes = ImmutableArray.CreateBuilder<PersonalAttributeSpecV1>();
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            var path = $"personalFields[{i}]";
            var item = sequence.Children[i];
            var name = (item as YamlScalarNode)?.Value ?? "";
            if (name == PersonalFields.UserId)
            {
                continue;
            }

            if (name.StartsWith(PersonalFields.AttributePrefix, StringComparison.Ordinal) && name.Length > PersonalFields.AttributePrefix.Length)
            {
                attributes.Add(new PersonalAttributeSpecV1(item.Start, path, name[PersonalFields.AttributePrefix.Length..]));
                continue;
            }

            errors.Add(item.Start, path, $"expected {PersonalFields.UserId} or {PersonalFields.AttributePrefix}<name> (an entry of a domain event's attributes), got '{name}'");
        }

        return attributes.ToImmutable();
    }

    private JourneySpecV1 ReadJourney(YamlMappingNode node, string path)
    {
        var errorsBefore = errors.Count;
        CheckFields(node, path, JourneyFields);
        var name = Name(node, path, "name");
        var owner = Scalar(node, path, "owner", required: true)?.Value;
        var description = Scalar(node, path, "description", required: false)?.Value;
        JourneyEventsSpecV1? events = null;
        if (Child(node, path, "events") is { } e && Mapping(e, $"{path}.events") is { } eventsNode)
        {
            CheckFields(eventsNode, $"{path}.events", EventFields);
            events = new JourneyEventsSpecV1(
                eventsNode.Start,
                $"{path}.events",
                Names(eventsNode, $"{path}.events", "start", required: true),
                Names(eventsNode, $"{path}.events", "success", required: true),
                Names(eventsNode, $"{path}.events", "failure", required: false));
        }

        var segmentBy = Names(node, path, "segmentBy", required: true);
        var services = Names(node, path, "services", required: false);
        var timeout = Duration(node, path, "conversionTimeout", required: true);
        var criticality = Number(node, path, "criticality", 0.01, 100) ?? JourneySpec.DefaultCriticality;
        var stage = Number(node, path, "stage", 0, 1) ?? JourneySpec.DefaultStage;
        var segmentAlerting = SegmentAlertingOf(node, path);
        var trafficFloor = JourneySpec.DefaultSegmentTrafficFloor;
        if (Scalar(node, path, "segmentTrafficFloor", required: false) is { } floorNode
            && (!long.TryParse(floorNode.Value, NumberStyles.None, CultureInfo.InvariantCulture, out trafficFloor) || trafficFloor is < 1 or > 1_000_000_000))
        {
            errors.Add(floorNode.Start, $"{path}.segmentTrafficFloor", $"expected a whole number of events from 1 to 1000000000, got '{floorNode.Value}'");
        }
        var slos = ImmutableArray.CreateBuilder<SloSpecV1>();
        if (node.Children.TryGetValue("slos", out var sloList))
        {
            if (sloList is YamlSequenceNode sloSequence)
            {
                for (var i = 0; i < sloSequence.Children.Count; i++)
                {
                    if (Mapping(sloSequence.Children[i], $"{path}.slos[{i}]") is { } sloNode)
                    {
                        slos.Add(ReadSlo(sloNode, $"{path}.slos[{i}]"));
                    }
                }
            }
            else
            {
                errors.Add(sloList.Start, $"{path}.slos", "expected a list of SLOs");
            }
        }

        var compositeAlerts = ReadCompositeAlerts(node, path);
        return new JourneySpecV1(node.Start, path, name, owner, description, events, segmentBy, services, timeout, criticality, stage, segmentAlerting, trafficFloor, slos.ToImmutable(), compositeAlerts, errors.Count == errorsBefore);
    }

    private SloSpecV1 ReadSlo(YamlMappingNode node, string path)
    {
        var errorsBefore = errors.Count;
        CheckFields(node, path, SloFields);
        var name = Name(node, path, "name");
        var sliNode = Scalar(node, path, "sli", required: true);
        SliKind? sli = null;
        if (sliNode is not null)
        {
            if (SliKinds.TryGetValue(sliNode.Value ?? "", out var kind))
            {
                sli = kind;
            }
            else
            {
                errors.Add(sliNode.Start, $"{path}.sli", $"expected one of {string.Join(", ", SliKinds.Keys)}, got '{sliNode.Value}'");
            }
        }

        var objective = Objective(node, path, required: true);
        var period = Duration(node, path, "period", required: true);
        var periodText = node.Children.TryGetValue("period", out var periodNode) ? (periodNode as YamlScalarNode)?.Value : null;
        var threshold = Duration(node, path, "threshold", required: false);
        var thresholdAt = node.Children.TryGetValue("threshold", out var thresholdNode) ? thresholdNode.Start : (Mark?)null;
        var policyNode = Scalar(node, path, "alertPolicy", required: false);
        var runbook = Runbook(node, path);
        var segments = ReadSegmentObjectives(node, path);
        return new SloSpecV1(
            node.Start,
            path,
            name,
            sli,
            objective,
            period,
            periodText,
            threshold,
            thresholdAt,
            policyNode is null ? null : (policyNode.Value!, policyNode.Start),
            runbook,
            segments,
            errors.Count == errorsBefore);
    }

    /// <summary>An SLO's own terms for dimension values: <c>- {segment: plan_tier=enterprise, objective: 0.999, criticality: 3}</c>.</summary>
    private ImmutableArray<SegmentObjectiveSpecV1> ReadSegmentObjectives(YamlMappingNode node, string path)
    {
        if (!node.Children.TryGetValue("segments", out var list))
        {
            return [];
        }

        if (list is not YamlSequenceNode sequence)
        {
            errors.Add(list.Start, $"{path}.segments", "expected a list of segments with their own terms, such as - {segment: plan_tier=enterprise, objective: 0.999}");
            return [];
        }

        var segments = ImmutableArray.CreateBuilder<SegmentObjectiveSpecV1>();
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            var itemPath = $"{path}.segments[{i}]";
            if (Mapping(sequence.Children[i], itemPath) is not { } item)
            {
                continue;
            }

            CheckFields(item, itemPath, SegmentObjectiveFields);
            string? dimension = null;
            string? value = null;
            if (Scalar(item, itemPath, "segment", required: true) is { } segmentNode)
            {
                var parts = (segmentNode.Value ?? "").Split('=');
                if (parts is [{ Length: > 0 } d, { Length: > 0 } v] && !v.Contains(',', StringComparison.Ordinal))
                {
                    (dimension, value) = (d, v);
                }
                else
                {
                    errors.Add(segmentNode.Start, $"{itemPath}.segment", $"expected one dimension's value such as plan_tier=enterprise, got '{segmentNode.Value}'");
                }
            }

            var objective = Objective(item, itemPath, required: false);
            var criticality = Number(item, itemPath, "criticality", 0.01, 100);
            if (!item.Children.ContainsKey("objective") && !item.Children.ContainsKey("criticality"))
            {
                errors.Add(item.Start, itemPath, "expected an objective, a criticality or both for the segment, found neither");
            }

            segments.Add(new SegmentObjectiveSpecV1(item.Start, itemPath, dimension, value, objective, criticality));
        }

        return segments.ToImmutable();
    }

    private double? Objective(YamlMappingNode node, string path, bool required)
    {
        if (Scalar(node, path, "objective", required) is not { } objectiveNode)
        {
            return null;
        }

        if (double.TryParse(objectiveNode.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value > 0 && value < 1)
        {
            return value;
        }

        errors.Add(objectiveNode.Start, $"{path}.objective", $"expected a number strictly between 0 and 1 such as 0.999, got '{objectiveNode.Value}'");
        return null;
    }

    /// <summary>Custom alert policies, declared before the journeys that use them.</summary>
    private ImmutableArray<AlertPolicySpecV1> ReadPolicies(YamlMappingNode root)
    {
        if (!root.Children.TryGetValue("alertPolicies", out var list))
        {
            return [];
        }

        if (list is not YamlSequenceNode sequence)
        {
            errors.Add(list.Start, "alertPolicies", "expected a list of alert policies");
            return [];
        }

        var policies = ImmutableArray.CreateBuilder<AlertPolicySpecV1>();
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            var path = $"alertPolicies[{i}]";
            if (Mapping(sequence.Children[i], path) is not { } node)
            {
                continue;
            }

            var errorsBefore = errors.Count;
            CheckFields(node, path, PolicyFields);
            var name = Name(node, path, "name");
            var resolveAfter = Duration(node, path, "resolveAfter", required: true);
            var minimumBad = 0;
            if (Scalar(node, path, "minimumBadEvents", required: false) is { } minimumNode
                && (!int.TryParse(minimumNode.Value, NumberStyles.None, CultureInfo.InvariantCulture, out minimumBad) || minimumBad > 1_000_000))
            {
                errors.Add(minimumNode.Start, $"{path}.minimumBadEvents", $"expected a whole number from 0 to 1000000, got '{minimumNode.Value}'");
            }

            var rules = RequiredList(node, path, "rules", "expected a non-empty list of rules", ReadRule);
            policies.Add(new AlertPolicySpecV1(node.Start, path, name, resolveAfter, minimumBad, rules, errors.Count == errorsBefore));
        }

        return policies.ToImmutable();
    }

    private BurnRateRuleSpecV1 ReadRule(YamlMappingNode node, string path)
    {
        CheckFields(node, path, RuleFields);
        var severity = Severity(node, path);
        var longWindow = Window(node, path, "longWindow");
        var shortWindow = Window(node, path, "shortWindow");
        var burnRateNode = Scalar(node, path, "burnRate", required: true);
        double? burnRate = null;
        if (burnRateNode is not null)
        {
            if (double.TryParse(burnRateNode.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value > 0 && double.IsFinite(value))
            {
                burnRate = value;
            }
            else
            {
                errors.Add(burnRateNode.Start, $"{path}.burnRate", $"expected a positive number such as 14.4, got '{burnRateNode.Value}'");
            }
        }

        return new BurnRateRuleSpecV1(node.Start, path, severity, longWindow, shortWindow, burnRate);
    }

    /// <summary>A required, non-empty list of mappings, each read by <paramref name="read"/>.</summary>
    /// <param name="missing">What to say when the field is absent; by default that it is required.</param>
    private ImmutableArray<T> RequiredList<T>(YamlMappingNode node, string path, string field, string expectation, Func<YamlMappingNode, string, T> read, string? missing = null)
    {
        var listPath = Join(path, field);
        if (!node.Children.TryGetValue(field, out var list))
        {
            errors.Add(node.Start, listPath, missing ?? "required field is missing");
            return [];
        }

        if (list is not YamlSequenceNode { Children.Count: > 0 } sequence)
        {
            errors.Add(list.Start, listPath, expectation);
            return [];
        }

        var items = ImmutableArray.CreateBuilder<T>();
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            if (Mapping(sequence.Children[i], $"{listPath}[{i}]") is { } item)
            {
                items.Add(read(item, $"{listPath}[{i}]"));
            }
        }

        return items.ToImmutable();
    }

    private SegmentAlerting SegmentAlertingOf(YamlMappingNode node, string path)
    {
        if (Scalar(node, path, "segmentAlerting", required: false) is not { } modeNode)
        {
            return SegmentAlerting.Dimensions;
        }

        if (modeNode.Value is "dimensions" or "combinations" or "off")
        {
            return Enum.Parse<SegmentAlerting>(modeNode.Value, ignoreCase: true);
        }

        errors.Add(modeNode.Start, $"{path}.segmentAlerting", $"expected one of dimensions, combinations, off, got '{modeNode.Value}'");
        return SegmentAlerting.Dimensions;
    }

    private AlertSeverity? Severity(YamlMappingNode node, string path)
    {
        if (Scalar(node, path, "severity", required: true) is not { } severityNode)
        {
            return null;
        }

        if (Severities.TryGetValue(severityNode.Value!, out var severity))
        {
            return severity;
        }

        errors.Add(severityNode.Start, $"{path}.severity", $"expected one of {string.Join(", ", Severities.Keys)}, got '{severityNode.Value}'");
        return null;
    }

    private Uri? Runbook(YamlMappingNode node, string path)
    {
        Uri? runbook = null;
        if (Scalar(node, path, "runbook", required: false) is { } runbookNode
            && (!Uri.TryCreate(runbookNode.Value, UriKind.Absolute, out runbook) || runbook.Scheme is not ("https" or "http")))
        {
            errors.Add(runbookNode.Start, $"{path}.runbook", $"expected an absolute http(s) URL, got '{runbookNode.Value}'");
            return null;
        }

        return runbook;
    }

    private SloWindow? Window(YamlMappingNode node, string path, string field)
    {
        if (Duration(node, path, field, required: true) is not { } duration)
        {
            return null;
        }

        if (duration > TimeSpan.Zero && duration.Ticks % TimeSpan.TicksPerMinute == 0)
        {
            return new SloWindow(duration);
        }

        errors.Add(node.Children[field].Start, $"{path}.{field}", $"expected a whole number of minutes such as 5m or 1h, got '{((YamlScalarNode)node.Children[field]).Value}'");
        return null;
    }

    private string? Name(YamlMappingNode node, string path, string field)
    {
        var scalar = Scalar(node, path, field, required: true);
        if (scalar is not null && !NamePattern().IsMatch(scalar.Value ?? ""))
        {
            errors.Add(scalar.Start, $"{path}.{field}", $"expected a lower-case name (letters, digits, '-' or '_', starting with a letter), got '{scalar.Value}'");
            return null;
        }

        return scalar?.Value;
    }

    /// <summary>An optional number from <paramref name="min"/> to <paramref name="max"/>; null when absent or wrong (then reported).</summary>
    private double? Number(YamlMappingNode node, string path, string field, double min, double max)
    {
        if (Scalar(node, path, field, required: false) is not { } scalar)
        {
            return null;
        }

        if (double.TryParse(scalar.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        errors.Add(scalar.Start, Join(path, field), string.Create(CultureInfo.InvariantCulture, $"expected a number from {min} to {max}, got '{scalar.Value}'"));
        return null;
    }

    private TimeSpan? Duration(YamlMappingNode node, string path, string field, bool required)
    {
        var scalar = Scalar(node, path, field, required);
        if (scalar is null)
        {
            return null;
        }

        if (DurationText.TryParse(scalar.Value, out var duration))
        {
            return duration;
        }

        errors.Add(scalar.Start, $"{path}.{field}", $"expected {DurationText.Expected}, got '{scalar.Value}'");
        return null;
    }

    private ImmutableArray<string> Names(YamlMappingNode node, string path, string field, bool required)
    {
        if (Child(node, path, field, required) is not { } child)
        {
            return [];
        }

        var items = child switch
        {
            YamlSequenceNode sequence => sequence.Children,
            YamlScalarNode => [child],
            _ => null,
        };
        if (items is null || (required && items.Count == 0) || items.Any(i => i is not YamlScalarNode { Value.Length: > 0 }))
        {
            errors.Add(child.Start, $"{path}.{field}", required ? "expected a non-empty list of names" : "expected a list of names");
            return [];
        }

        return [.. items.Cast<YamlScalarNode>().Select(s => s.Value!)];
    }

    private YamlScalarNode? Scalar(YamlMappingNode node, string path, string field, bool required)
    {
        if (Child(node, path, field, required) is not { } child)
        {
            return null;
        }

        if (child is YamlScalarNode { Value.Length: > 0 } scalar)
        {
            return scalar;
        }

        errors.Add(child.Start, $"{path}.{field}", "expected a non-empty value");
        return null;
    }

    private YamlNode? Child(YamlMappingNode node, string path, string field, bool required = true)
    {
        if (node.Children.TryGetValue(field, out var child))
        {
            return child;
        }

        if (required)
        {
            errors.Add(node.Start, Join(path, field), "required field is missing");
        }

        return null;
    }

    private YamlMappingNode? Mapping(YamlNode node, string path)
    {
        if (node is YamlMappingNode mapping)
        {
            return mapping;
        }

        errors.Add(node.Start, path, "expected a mapping of fields");
        return null;
    }

    private void CheckFields(YamlMappingNode node, string path, string[] allowed)
    {
        foreach (var key in node.Children.Keys)
        {
            var name = (key as YamlScalarNode)?.Value ?? "";
            if (!allowed.Contains(name))
            {
                errors.Add(key.Start, Join(path, name), $"unknown field; expected one of {string.Join(", ", allowed)}");
            }
        }
    }

    private static string Join(string path, string field) => path.Length == 0 ? field : $"{path}.{field}";
}
