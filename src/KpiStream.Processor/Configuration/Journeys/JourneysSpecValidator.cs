using System.Collections.Immutable;
using KpiStream.Core.Composites;
using KpiStream.Core.Journeys;
using KpiStream.Core.Slos;
using KpiStream.Processor.Kpis.Alerting;
using YamlDotNet.Core;

namespace KpiStream.Processor.Configuration.Journeys;

/// <summary>
/// The rules of a journeys file that span several values: unique names, each event type in one
/// role, windows that fit together, alert policies that exist, thresholds and baselines where
/// their kind needs them. Values the reader refused are not judged again.
/// </summary>
public sealed class JourneysSpecValidator(SpecErrors errors)
{
    public void Validate(JourneysSpecV1 spec)
    {
        var policies = Policies(spec.Policies);
        foreach (var personal in spec.PersonalAttributes)
        {
            // A segment value is written to every KPI record: a personal one would leave the processor as written.
            if (spec.Journeys.FirstOrDefault(j => j.SegmentBy.Contains(personal.Name)) is { } journey)
            {
                errors.Add(personal.At, personal.Path, $"expected a field no journey segments by, but journey '{journey.Name}' segments by '{personal.Name}'");
            }
        }

        var journeyNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var journey in spec.Journeys)
        {
            if (journey.Name is { } name && !journeyNames.Add(name))
            {
                errors.Add(journey.At, $"{journey.Path}.name", $"expected a unique journey name, '{name}' is declared twice");
            }

            if (journey.Events is { } events)
            {
                foreach (var twice in events.Start.Concat(events.Success).Concat(events.Failure).GroupBy(t => t).Where(g => g.Count() > 1))
                {
                    errors.Add(events.At, events.Path, $"expected each event type in one role only, '{twice.Key}' has several");
                }
            }

            // Alert ids start with the alert's name and journey: names shared within a journey would share ids.
            var alertNames = new HashSet<string>(StringComparer.Ordinal) { SilenceJudge.AlertName };
            foreach (var slo in journey.Slos)
            {
                Validate(slo, policies);
                Validate(slo.Segments, journey.SegmentBy);
                NameOnce(alertNames, slo.Name, slo.At, slo.Path);
            }

            foreach (var rule in journey.CompositeAlerts)
            {
                NameOnce(alertNames, rule.Name, rule.At, rule.Path);

                foreach (var condition in rule.When)
                {
                    Validate(condition);
                }
            }
        }
    }

    private void NameOnce(HashSet<string> taken, string? name, Mark at, string path)
    {
        if (name is not null && !taken.Add(name))
        {
            errors.Add(at, $"{path}.name", name == SilenceJudge.AlertName
                ? $"expected a name other than '{name}', which the silence alert of every journey has"
                : $"expected a name no other SLO or composite alert of the journey has, '{name}' is taken");
        }
    }

    /// <summary>Every declared policy name, with its longest window where the policy was read whole; the workbook's is built in.</summary>
    private Dictionary<string, SloWindow?> Policies(IEnumerable<AlertPolicySpecV1> declared)
    {
        var policies = new Dictionary<string, SloWindow?>(StringComparer.Ordinal) { [AlertPolicy.WorkbookName] = AlertPolicy.Workbook.LongestWindow };
        foreach (var policy in declared)
        {
            foreach (var rule in policy.Rules)
            {
                if (rule is { LongWindow: { } longWindow, ShortWindow: { } shortWindow } && shortWindow.Duration >= longWindow.Duration)
                {
                    errors.Add(rule.At, $"{rule.Path}.shortWindow", $"expected a window shorter than the long window ({longWindow.Name}), got {shortWindow.Name}");
                }
            }

            if (policy.Name is not { } name)
            {
                continue;
            }

            if (policies.ContainsKey(name))
            {
                errors.Add(policy.At, $"{policy.Path}.name", $"expected a unique policy name, '{name}' is already declared{(name == AlertPolicy.WorkbookName ? " (built in)" : "")}");
                continue;
            }

            // A policy with errors is still declared: SLOs that name it are not told it is missing.
            policies[name] = policy.Complete ? policy.Rules.Select(r => r.LongWindow!.Value).MaxBy(w => w.Duration) : null;
        }

        return policies;
    }

    /// <summary>Each segment term names a dimension the journey segments by, and each value once.</summary>
    private void Validate(ImmutableArray<SegmentObjectiveSpecV1> segments, ImmutableArray<string> segmentBy)
    {
        var seen = new HashSet<(string, string)>();
        foreach (var segment in segments.Where(s => s.Dimension is not null))
        {
            if (!segmentBy.Contains(segment.Dimension!))
            {
                errors.Add(segment.At, $"{segment.Path}.segment", $"expected a value of one of the journey's segmentBy dimensions ({string.Join(", ", segmentBy)}), got '{segment.Dimension}={segment.Value}'");
            }
            else if (!seen.Add((segment.Dimension!, segment.Value!)))
            {
                errors.Add(segment.At, $"{segment.Path}.segment", $"expected each segment once, '{segment.Dimension}={segment.Value}' is declared twice");
            }
        }
    }

    private void Validate(SloSpecV1 slo, Dictionary<string, SloWindow?> policies)
    {
        if (slo.Sli == SliKind.Latency && slo.Threshold is null && slo.ThresholdAt is null)
        {
            errors.Add(slo.At, $"{slo.Path}.threshold", "expected a latency threshold such as 1500ms for a latency SLI, found none");
        }
        else if (slo.Sli is { } sli && sli != SliKind.Latency && slo.Threshold is not null)
        {
            errors.Add(slo.ThresholdAt!.Value, $"{slo.Path}.threshold", "expected no threshold: only latency SLIs have one");
        }

        var policyName = slo.Policy?.Name ?? AlertPolicy.WorkbookName;
        if (!policies.TryGetValue(policyName, out var longest))
        {
            var declared = policies.Where(p => p.Key == AlertPolicy.WorkbookName || p.Value is not null).Select(p => p.Key).Order(StringComparer.Ordinal);
            errors.Add(slo.Policy!.Value.At, $"{slo.Path}.alertPolicy", $"expected one of the declared alert policies ({string.Join(", ", declared)}), got '{policyName}'");
        }
        else if (slo.Period is { } period && longest is { } window && window.Duration > period)
        {
            errors.Add(slo.At, $"{slo.Path}.period", $"expected a period at least as long as the longest window of alert policy '{policyName}' ({window.Name}), got '{slo.PeriodText}'");
        }
    }

    private void Validate(ConditionSpecV1 condition)
    {
        if (condition.Comparison is not { } comparison)
        {
            return;
        }

        var relative = comparison.Kind is SignalComparison.DropsBy or SignalComparison.RisesBy;
        if (relative && condition.Baseline is null && condition.BaselineAt is null)
        {
            errors.Add(condition.At, $"{condition.Path}.baseline", $"expected the window before 'over' to compare with, such as 1h, for {comparison.Field}; found none");
        }
        else if (!relative && condition.BaselineAt is { } at)
        {
            errors.Add(at, $"{condition.Path}.baseline", "expected no baseline: only dropsBy and risesBy compare with one");
        }
    }
}
