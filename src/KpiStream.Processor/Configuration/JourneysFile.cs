using System.Collections.Immutable;
using System.Globalization;
using System.Text.RegularExpressions;
using KpiStream.Core.Journeys;
using KpiStream.Core.Slos;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace KpiStream.Processor.Configuration;

/// <summary>
/// Reads the journeys specification (YAML). The file is the source of truth for journeys and
/// their SLOs; every problem is reported with file, line, column, field path and expectation.
/// </summary>
public static partial class JourneysFile
{
    public const string ApiVersion = "kpistream/v1";
    private static readonly string[] TopLevelFields = ["apiVersion", "impactWeights", "alertPolicies", "journeys"];
    private static readonly string[] JourneyFields = ["name", "owner", "description", "events", "segmentBy", "services", "conversionTimeout", "criticality", "stage", "slos", "compositeAlerts"];
    private static readonly string[] WeightFields = ["reach", "duration"];
    private static readonly string[] EventFields = ["start", "success", "failure"];
    private static readonly string[] SloFields = ["name", "sli", "objective", "period", "threshold", "alertPolicy", "runbook"];
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

    public static JourneyCatalog Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new ConfigurationException([$"{path}: file not found"]);
        }

        return Parse(File.ReadAllText(path), path);
    }

    public static JourneyCatalog Parse(string yaml, string fileName)
    {
        var reader = new Reader(fileName);
        YamlStream stream = [];
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new ConfigurationException([$"{fileName}:{e.Start.Line}:{e.Start.Column}: not valid YAML: {e.InnerException?.Message ?? e.Message}"]);
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new ConfigurationException([$"{fileName}:1:1: (root): expected a mapping with apiVersion and journeys"]);
        }

        var journeys = reader.ReadRoot(root);
        if (reader.Errors.Count > 0)
        {
            throw new ConfigurationException(reader.Errors);
        }

        return new JourneyCatalog(journeys, reader.ImpactWeights);
    }

    [GeneratedRegex("^[a-z][a-z0-9_-]{0,62}$")]
    private static partial Regex NamePattern();

    private sealed partial class Reader(string fileName)
    {
        public List<string> Errors { get; } = [];

        private readonly Dictionary<string, AlertPolicy> _policies = new(StringComparer.Ordinal) { [AlertPolicy.WorkbookName] = AlertPolicy.Workbook };

        // Declared but invalid: already reported, so SLOs naming them add no second error.
        private readonly HashSet<string> _rejectedPolicies = new(StringComparer.Ordinal);

        public ImpactWeights ImpactWeights { get; private set; } = ImpactWeights.Default;

        public List<JourneySpec> ReadRoot(YamlMappingNode root)
        {
            CheckFields(root, "", TopLevelFields);
            if (Child(root, "", "impactWeights", required: false) is { } weightsNode && Mapping(weightsNode, "impactWeights") is { } weights)
            {
                CheckFields(weights, "impactWeights", WeightFields);
                ImpactWeights = new ImpactWeights(
                    Number(weights, "impactWeights", "reach", 0, 100) ?? ImpactWeights.Default.Reach,
                    Number(weights, "impactWeights", "duration", 0, 100) ?? ImpactWeights.Default.Duration);
            }

            var version = Scalar(root, "", "apiVersion", required: true);
            if (version is not null && version.Value != ApiVersion)
            {
                Error(version, "apiVersion", $"expected '{ApiVersion}', got '{version.Value}'");
            }

            ReadPolicies(root);
            var journeys = new List<JourneySpec>();
            if (!root.Children.TryGetValue("journeys", out var list))
            {
                Error(root, "journeys", "expected a list of journeys, found none");
                return journeys;
            }

            if (list is not YamlSequenceNode sequence || sequence.Children.Count == 0)
            {
                Error(list, "journeys", "expected a non-empty list of journeys");
                return journeys;
            }

            for (var i = 0; i < sequence.Children.Count; i++)
            {
                if (Mapping(sequence.Children[i], $"journeys[{i}]") is { } node && ReadJourney(node, $"journeys[{i}]") is { } journey)
                {
                    if (journeys.Any(j => j.Name == journey.Name))
                    {
                        Error(node, $"journeys[{i}].name", $"expected a unique journey name, '{journey.Name}' is declared twice");
                    }

                    journeys.Add(journey);
                }
            }

            return journeys;
        }

        private JourneySpec? ReadJourney(YamlMappingNode node, string path)
        {
            var errorsBefore = Errors.Count;
            CheckFields(node, path, JourneyFields);
            var name = Name(node, path, "name");
            var owner = Scalar(node, path, "owner", required: true)?.Value;
            var description = Scalar(node, path, "description", required: false)?.Value;
            var events = Child(node, path, "events") is { } e ? Mapping(e, $"{path}.events") : null;
            ImmutableArray<string> start = [], success = [], failure = [];
            if (events is not null)
            {
                CheckFields(events, $"{path}.events", EventFields);
                start = Names(events, $"{path}.events", "start", required: true);
                success = Names(events, $"{path}.events", "success", required: true);
                failure = Names(events, $"{path}.events", "failure", required: false);
                var all = start.Concat(success).Concat(failure).ToList();
                foreach (var twice in all.GroupBy(t => t).Where(g => g.Count() > 1))
                {
                    Error(events, $"{path}.events", $"expected each event type in one role only, '{twice.Key}' has several");
                }
            }

            var segmentBy = Names(node, path, "segmentBy", required: true);
            var services = Names(node, path, "services", required: false);
            var timeout = Duration(node, path, "conversionTimeout", required: true);
            var criticality = Number(node, path, "criticality", 0.01, 100) ?? 1;
            var stage = Number(node, path, "stage", 0, 1) ?? 0;
            var slos = ImmutableArray.CreateBuilder<SloSpec>();
            if (node.Children.TryGetValue("slos", out var sloList))
            {
                if (sloList is YamlSequenceNode sloSequence)
                {
                    for (var i = 0; i < sloSequence.Children.Count; i++)
                    {
                        if (Mapping(sloSequence.Children[i], $"{path}.slos[{i}]") is { } sloNode && ReadSlo(sloNode, $"{path}.slos[{i}]") is { } slo)
                        {
                            slos.Add(slo);
                        }
                    }
                }
                else
                {
                    Error(sloList, $"{path}.slos", "expected a list of SLOs");
                }
            }

            var compositeAlerts = ReadCompositeAlerts(node, path, slos.Select(s => s.Name));
            return Errors.Count > errorsBefore
                ? null
                : new JourneySpec(name!, owner!, description, start, success, failure, segmentBy, services, timeout!.Value, slos.ToImmutable(), criticality, stage)
                {
                    CompositeAlerts = compositeAlerts,
                };
        }

        private SloSpec? ReadSlo(YamlMappingNode node, string path)
        {
            var errorsBefore = Errors.Count;
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
                    Error(sliNode, $"{path}.sli", $"expected one of {string.Join(", ", SliKinds.Keys)}, got '{sliNode.Value}'");
                }
            }

            var objectiveNode = Scalar(node, path, "objective", required: true);
            double objective = 0;
            if (objectiveNode is not null
                && (!double.TryParse(objectiveNode.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out objective) || objective <= 0 || objective >= 1))
            {
                Error(objectiveNode, $"{path}.objective", $"expected a number strictly between 0 and 1 such as 0.999, got '{objectiveNode.Value}'");
            }

            var period = Duration(node, path, "period", required: true);
            var threshold = Duration(node, path, "threshold", required: false);
            if (sli == SliKind.Latency && threshold is null && !node.Children.ContainsKey("threshold"))
            {
                Error(node, $"{path}.threshold", "expected a latency threshold such as 1500ms for a latency SLI, found none");
            }
            else if (sli is not null && sli != SliKind.Latency && threshold is not null)
            {
                Error(node.Children["threshold"], $"{path}.threshold", "expected no threshold: only latency SLIs have one");
            }

            var policy = AlertPolicy.Workbook;
            var policyNode = Scalar(node, path, "alertPolicy", required: false);
            if (policyNode is not null && _rejectedPolicies.Contains(policyNode.Value!))
            {
                return null;
            }

            if (policyNode is not null && !_policies.TryGetValue(policyNode.Value!, out policy!))
            {
                Error(policyNode, $"{path}.alertPolicy", $"expected one of the declared alert policies ({string.Join(", ", _policies.Keys.Order(StringComparer.Ordinal))}), got '{policyNode.Value}'");
            }
            else if (period is not null && policy.LongestWindow.Duration > period)
            {
                Error(node, $"{path}.period", $"expected a period at least as long as the longest window of alert policy '{policy.Name}' ({policy.LongestWindow.Name}), got '{((YamlScalarNode)node.Children["period"]).Value}'");
            }

            var runbook = Runbook(node, path);
            return Errors.Count > errorsBefore ? null : new SloSpec(name!, sli!.Value, objective, period!.Value, threshold, policy, runbook);
        }

        /// <summary>Custom alert policies, declared before the journeys that use them; 'workbook' is always there.</summary>
        private void ReadPolicies(YamlMappingNode root)
        {
            if (!root.Children.TryGetValue("alertPolicies", out var list))
            {
                return;
            }

            if (list is not YamlSequenceNode sequence)
            {
                Error(list, "alertPolicies", "expected a list of alert policies");
                return;
            }

            for (var i = 0; i < sequence.Children.Count; i++)
            {
                var path = $"alertPolicies[{i}]";
                if (Mapping(sequence.Children[i], path) is not { } node)
                {
                    continue;
                }

                var errorsBefore = Errors.Count;
                CheckFields(node, path, PolicyFields);
                var name = Name(node, path, "name");
                var resolveAfter = Duration(node, path, "resolveAfter", required: true);
                var minimumBad = 0;
                if (Scalar(node, path, "minimumBadEvents", required: false) is { } minimumNode
                    && (!int.TryParse(minimumNode.Value, NumberStyles.None, CultureInfo.InvariantCulture, out minimumBad) || minimumBad > 1_000_000))
                {
                    Error(minimumNode, $"{path}.minimumBadEvents", $"expected a whole number from 0 to 1000000, got '{minimumNode.Value}'");
                }

                var rules = ImmutableArray.CreateBuilder<MultiWindowRule>();
                if (Child(node, path, "rules") is { } rulesNode)
                {
                    if (rulesNode is YamlSequenceNode { Children.Count: > 0 } ruleSequence)
                    {
                        for (var r = 0; r < ruleSequence.Children.Count; r++)
                        {
                            if (Mapping(ruleSequence.Children[r], $"{path}.rules[{r}]") is { } ruleNode && ReadRule(ruleNode, $"{path}.rules[{r}]") is { } rule)
                            {
                                rules.Add(rule);
                            }
                        }
                    }
                    else
                    {
                        Error(rulesNode, $"{path}.rules", "expected a non-empty list of rules");
                    }
                }

                if (name is not null && _policies.ContainsKey(name))
                {
                    Error(node, $"{path}.name", $"expected a unique policy name, '{name}' is already declared{(name == AlertPolicy.WorkbookName ? " (built in)" : "")}");
                }
                else if (Errors.Count == errorsBefore)
                {
                    _policies[name!] = new AlertPolicy(name!, rules.ToImmutable(), resolveAfter!.Value, minimumBad);
                }
                else if (name is not null)
                {
                    _rejectedPolicies.Add(name);
                }
            }
        }

        private MultiWindowRule? ReadRule(YamlMappingNode node, string path)
        {
            var errorsBefore = Errors.Count;
            CheckFields(node, path, RuleFields);
            var severity = Severity(node, path);

            var longWindow = Window(node, path, "longWindow");
            var shortWindow = Window(node, path, "shortWindow");
            if (longWindow is { } l && shortWindow is { } s && s.Duration >= l.Duration)
            {
                Error(node, $"{path}.shortWindow", $"expected a window shorter than the long window ({l.Name}), got {s.Name}");
            }

            var burnRateNode = Scalar(node, path, "burnRate", required: true);
            double burnRate = 0;
            if (burnRateNode is not null
                && (!double.TryParse(burnRateNode.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out burnRate) || burnRate <= 0 || !double.IsFinite(burnRate)))
            {
                Error(burnRateNode, $"{path}.burnRate", $"expected a positive number such as 14.4, got '{burnRateNode.Value}'");
            }

            return Errors.Count > errorsBefore ? null : new MultiWindowRule(severity, longWindow!.Value, shortWindow!.Value, burnRate);
        }

        private AlertSeverity Severity(YamlMappingNode node, string path)
        {
            var severityNode = Scalar(node, path, "severity", required: true);
            AlertSeverity severity = default;
            if (severityNode is not null && !Severities.TryGetValue(severityNode.Value!, out severity))
            {
                Error(severityNode, $"{path}.severity", $"expected one of {string.Join(", ", Severities.Keys)}, got '{severityNode.Value}'");
            }

            return severity;
        }

        private Uri? Runbook(YamlMappingNode node, string path)
        {
            Uri? runbook = null;
            if (Scalar(node, path, "runbook", required: false) is { } runbookNode
                && (!Uri.TryCreate(runbookNode.Value, UriKind.Absolute, out runbook) || runbook.Scheme is not ("https" or "http")))
            {
                Error(runbookNode, $"{path}.runbook", $"expected an absolute http(s) URL, got '{runbookNode.Value}'");
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

            Error(node.Children[field], $"{path}.{field}", $"expected a whole number of minutes such as 5m or 1h, got '{((YamlScalarNode)node.Children[field]).Value}'");
            return null;
        }

        private string? Name(YamlMappingNode node, string path, string field)
        {
            var scalar = Scalar(node, path, field, required: true);
            if (scalar is not null && !NamePattern().IsMatch(scalar.Value ?? ""))
            {
                Error(scalar, $"{path}.{field}", $"expected a lower-case name (letters, digits, '-' or '_', starting with a letter), got '{scalar.Value}'");
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

            Error(scalar, Join(path, field), string.Create(CultureInfo.InvariantCulture, $"expected a number from {min} to {max}, got '{scalar.Value}'"));
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

            Error(scalar, $"{path}.{field}", $"expected {DurationText.Expected}, got '{scalar.Value}'");
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
                Error(child, $"{path}.{field}", required ? "expected a non-empty list of names" : "expected a list of names");
                return [];
            }

            return items.Cast<YamlScalarNode>().Select(s => s.Value!).ToImmutableArray();
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

            Error(child, $"{path}.{field}", "expected a non-empty value");
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
                Error(node, Join(path, field), "required field is missing");
            }

            return null;
        }

        private YamlMappingNode? Mapping(YamlNode node, string path)
        {
            if (node is YamlMappingNode mapping)
            {
                return mapping;
            }

            Error(node, path, "expected a mapping of fields");
            return null;
        }

        private void CheckFields(YamlMappingNode node, string path, string[] allowed)
        {
            foreach (var key in node.Children.Keys)
            {
                var name = (key as YamlScalarNode)?.Value ?? "";
                if (!allowed.Contains(name))
                {
                    Error(key, Join(path, name), $"unknown field; expected one of {string.Join(", ", allowed)}");
                }
            }
        }

        private void Error(YamlNode node, string field, string message) =>
            Errors.Add($"{fileName}:{node.Start.Line}:{node.Start.Column}: {field}: {message}");

        private static string Join(string path, string field) => path.Length == 0 ? field : $"{path}.{field}";
    }
}
