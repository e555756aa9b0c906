using KpiStream.Core.Incidents;
using KpiStream.Core.Kpis;
using KpiStream.Core.Slos;
using KpiStream.Core.Validation;
using KpiStream.Processor.Kpis.Alerting;

namespace KpiStream.Processor.Kpis;

/// <summary>What the KPI processors report about their work, for the metrics endpoint.</summary>
public interface IKpiMetrics
{
    void DeadLettered(string sourceTopic, DeadLetterReason reason);

    void LateRecord(string journey);

    void DuplicateRecord(string journey);

    /// <summary>A partial snapshot reached stage 2 after its window was emitted.</summary>
    void LatePartial(string journey);

    /// <summary>A request of a service no journey lists.</summary>
    void UnattributedRequest(string service);

    /// <param name="latency">From ingesting the record that made the window final to emitting it.</param>
    void WindowEmitted(string journey, TimeSpan size, TimeSpan latency, DateTimeOffset emittedAt);

    /// <summary>An SLO of a journey and segment (or <c>*</c>) as judged at the end of the latest closed minute.</summary>
    void SloStatus(string journey, string segment, string slo, IReadOnlyDictionary<string, double> burnRates, ErrorBudget budget);

    /// <summary>A segment of an SLO beyond <see cref="Core.Journeys.JourneySpec.MaxJudgedSegments"/>: its burn rates are reported, but it does not alert on its own.</summary>
    void SegmentNotJudged(string journey, string slo);

    /// <summary>A segment's burn rate crossed a rule's threshold at a minute end, but on less traffic than the journey's floor: no alert.</summary>
    void SegmentBelowTrafficFloor(string journey, string slo);

    void AlertChanged(SloAlert alert);

    /// <summary>Firing alerts a task took on with its restored state (positive) or let go of as it closed (negative).</summary>
    void AlertsHeld(string journey, string name, AlertSeverity severity, int change);

    /// <summary>An incident opened; <see cref="IncidentsHeld"/> says how many are open.</summary>
    void IncidentOpened(IncidentReport incident);

    /// <summary>Open incidents of a journey that a task took on (opened or restored with the task) or let go of (closed, or the task closed).</summary>
    void IncidentsHeld(string journey, int change);

    /// <summary>The journey's mean time to detect over its incidents of the last 28 days of event time; null when none has a detection delay.</summary>
    void MeanTimeToDetect(string journey, TimeSpan? mean);

    /// <summary>A journey's minute became final: its KPIs, every segment summed.</summary>
    void JourneyMinute(string journey, DateTimeOffset start, KpiCounters counters);
}
