using KpiStream.Core.Slos;

namespace KpiStream.Processor.Kpis.Alerting;

/// <summary>The lifecycles the alerting stage keeps, read by judges whose rules depend on whether an alert fires.</summary>
public interface IAlertStates
{
    /// <summary>The alert of <paramref name="subject"/> at <paramref name="severity"/>; idle when it never fired.</summary>
    AlertLifecycle Of(string subject, AlertSeverity severity);
}
