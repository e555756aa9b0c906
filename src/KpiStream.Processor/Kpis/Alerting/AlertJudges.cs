using KpiStream.Core.Journeys;
using KpiStream.Core.Slos;
using KpiStream.Processor.Kpis;

namespace KpiStream.Processor.Kpis.Alerting;

/// <summary>The kinds of alert the alerting stage judges: a new kind is one line here.</summary>
public static class AlertJudges
{
    /// <summary>A fresh set for one task: judges keep that task's history in memory.</summary>
    public static IReadOnlyList<IAlertJudge> Create(JourneyCatalog catalog, IKpiMetrics metrics, IKpiBoard board) =>
    [
        new SloJudge(catalog, metrics, board),
        new CompositeAlertJudge(catalog),
        new SilenceJudge(catalog, SilenceRule.Default),
    ];
}
