using KpiStream.Core.Events;
using KpiStream.Core.Kpis;

namespace KpiStream.Processor.Kpis;

/// <summary>What the window stage hands its SLO evaluator.</summary>
public abstract record SloInput;

/// <summary>
/// The window stage's watermark moved: the minutes whose SLIs became final (end + grace passed;
/// conversions may still grow, SLIs do not), and the end of the last minute now closed for every
/// journey and segment, with or without traffic.
/// </summary>
public sealed record ClosedMinutes(IReadOnlyList<KpiWindow> Minutes, DateTimeOffset ClosedThrough) : SloInput;

/// <summary>A service was deployed: alerts of the journeys it serves name it when it went out shortly before they fired.</summary>
public sealed record DeployObserved(DeploymentMarker Deploy) : SloInput;
