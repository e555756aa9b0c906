using System.Collections.Immutable;
using KpiStream.Core.Composites;
using KpiStream.Core.Journeys;
using KpiStream.Core.Privacy;
using KpiStream.Core.Slos;

namespace KpiStream.Processor.Configuration.Journeys;

/// <summary>Turns a journeys file that was read and validated without an error into the Core's journeys.</summary>
public static class JourneysSpecMapper
{
    public static JourneyCatalog ToCatalog(JourneysSpecV1 spec)
    {
        var policies = new Dictionary<string, AlertPolicy>(StringComparer.Ordinal) { [AlertPolicy.WorkbookName] = AlertPolicy.Workbook };
        foreach (var policy in spec.Policies)
        {
            policies[policy.Name!] = new AlertPolicy(
                policy.Name!,
                [.. policy.Rules.Select(r => new MultiWindowRule(r.Severity!.Value, r.LongWindow!.Value, r.ShortWindow!.Value, r.BurnRate!.Value))],
                policy.ResolveAfter!.Value,
                policy.MinimumBadEvents);
        }

        return new JourneyCatalog(spec.Journeys.Select(j => ToJourney(j, policies)), spec.ImpactWeights, new PersonalFields([.. spec.PersonalAttributes.Select(a => a.Name).Distinct()]));
    }

    private static JourneySpec ToJourney(JourneySpecV1 journey, Dictionary<string, AlertPolicy> policies) =>
        new(
            journey.Name!,
            journey.Owner!,
            journey.Description,
            journey.Events!.Start,
            journey.Events.Success,
            journey.Events.Failure,
            journey.SegmentBy,
            journey.Services,
            journey.ConversionTimeout!.Value,
            [.. journey.Slos.Select(s => new SloSpec(s.Name!, s.Sli!.Value, s.Objective!.Value, s.Period!.Value, s.Threshold, policies[s.Policy?.Name ?? AlertPolicy.WorkbookName], s.Runbook)
            {
                Segments = s.Segments.Select(t => new SegmentObjective(t.Dimension!, t.Value!, t.Objective, t.Criticality)).ToImmutableArray(),
            })],
            journey.Criticality,
            journey.Stage)
        {
            CompositeAlerts = [.. journey.CompositeAlerts.Select(ToRule)],
            SegmentAlerting = journey.SegmentAlerting,
            SegmentTrafficFloor = journey.SegmentTrafficFloor,
        };

    private static CompositeRule ToRule(CompositeAlertSpecV1 rule) =>
        new(
            rule.Name!,
            rule.Severity!.Value,
            [.. rule.When.Select(c => new CompositeCondition(c.Signal!.Value, c.Comparison!.Value.Kind, c.Threshold!.Value, c.Over, c.Baseline, c.MinimumSamples))],
            rule.For,
            rule.ResolveAfter,
            rule.Runbook);
}
