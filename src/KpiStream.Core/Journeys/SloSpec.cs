using KpiStream.Core.Slos;

namespace KpiStream.Core.Journeys;

/// <summary>A service level objective of a journey, as declared by its owner.</summary>
/// <param name="Objective">Target share of good outcomes, strictly between 0 and 1 (e.g. 0.995).</param>
/// <param name="Period">Rolling period the error budget is measured over.</param>
/// <param name="LatencyThreshold">Required for <see cref="SliKind.Latency"/>, absent otherwise.</param>
/// <param name="Alerting">When the SLO alerts; the SRE workbook's policy unless the owner names another.</param>
/// <param name="Runbook">Where responders start, carried on every alert of this SLO.</param>
public sealed record SloSpec(string Name, SliKind Sli, double Objective, TimeSpan Period, TimeSpan? LatencyThreshold, AlertPolicy Alerting, Uri? Runbook);
