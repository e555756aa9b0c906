using KpiStream.Core.Incidents;
using KpiStream.Core.Slos;
using KpiStream.Processor.Kpis.Alerting;
using KpiStream.Processor.Kpis.Windows;

namespace KpiStream.Processor.Kpis;

/// <summary>Where the KPI processors post what a person watching the processor wants to see first; the live terminal view reads it.</summary>
public interface IKpiBoard
{
    /// <summary>A minute's bucket changed; called from stream threads, often.</summary>
    void Update(MinuteBucket bucket);

    void Update(SloAlert alert);

    void Update(IncidentReport incident);

    void Update(SloStatus status);
}
