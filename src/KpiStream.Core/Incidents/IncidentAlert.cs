using KpiStream.Core.Slos;

namespace KpiStream.Core.Incidents;

/// <summary>One alert of an incident, as listed on its kpi.incidents record.</summary>
/// <param name="Annotation">Whether it annotates the incident's firing journey-wide alert instead of paging by itself.</param>
public sealed record IncidentAlert(string AlertId, string Slo, string SegmentKey, AlertSeverity Severity, AlertStatus Status, DateTimeOffset StartedAt, bool Annotation);
