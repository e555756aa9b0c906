using KpiStream.Core.Journeys;
using KpiStream.Core.Slos;

namespace KpiStream.Processor.Kpis.Alerting;

/// <summary>
/// One subject in memory: an SLO of a journey in one segment (a dimension value or a combination) or all of them, with its minute ledger
/// (the policy's history: its longest window or the 3 days of reported burn rates) and hour ledger (the SLO period, for the budget).
/// Rebuilt from the stores when the task starts.
/// </summary>
public sealed class SloSubject(JourneySpec journey, SloSpec slo, string segmentKey)
{
    /// <summary>The segment key of the journey-wide subject, the one that alerts, with one alert per severity.</summary>
    public const string AllSegments = "*";

    public JourneySpec Journey { get; } = journey;

    public SloSpec Slo { get; } = slo;

    public string SegmentKey { get; } = segmentKey;

    public string Key { get; } = KeyOf(slo.Name, journey.Name, segmentKey);

    public bool IsJourneyWide => SegmentKey == AllSegments;

    /// <summary>The objective the subject is judged against: the segment's own where the SLO gives its values one.</summary>
    public double Objective { get; } = slo.ObjectiveIn(segmentKey);

    /// <summary>The weight of the subject's alerts where the SLO gives its values one; null for the journey's.</summary>
    public double? Criticality { get; } = slo.CriticalityIn(segmentKey);

    /// <summary>The key of the same SLO's journey-wide subject.</summary>
    public string JourneyWideKey => KeyOf(Slo.Name, Journey.Name, AllSegments);

    /// <summary>A full combination of the journey's segment dimensions (a KPI segment), not one dimension's value summed over the others.</summary>
    public bool IsCombination => !IsJourneyWide && SegmentKey.Count(c => c == '=') == Journey.SegmentBy.Length;

    /// <summary>Whether the SLO's policy alerts on this subject alone: the journey-wide one always, a segment as the journey's <see cref="JourneySpec.SegmentAlerting"/> says and within its bound.</summary>
    public bool Judged { get; init; }

    public SliLedger Minutes { get; } = new(TimeSpan.FromMinutes(1), slo.Alerting.History.Minutes);

    public SliLedger Hours { get; } = new(TimeSpan.FromHours(1), (int)Math.Ceiling(slo.Period.TotalHours));

    public static string KeyOf(string slo, string journey, string segmentKey) => $"{slo}|{journey}|{segmentKey}";
}
