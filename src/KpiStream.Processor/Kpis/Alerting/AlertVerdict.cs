using KpiStream.Core.Journeys;
using KpiStream.Core.Slos;

namespace KpiStream.Processor.Kpis.Alerting;

/// <summary>
/// A judge's finding about one alert at one minute end. The stage steps the alert's lifecycle
/// with it and, on a transition, asks it to describe the alert; the judge's subclass carries what
/// the description needs.
/// </summary>
/// <param name="Subject">What the alert is about, unique across judges (e.g. <c>slo|journey|segment</c>); the alert id starts with it.</param>
public abstract record AlertVerdict(JourneySpec Journey, string Subject, AlertSeverity Severity, bool Trips, TimeSpan ResolveAfter)
{
    /// <summary>When what trips the alert now began, where the judge can tell (event time); read only when the alert fires.</summary>
    public virtual DateTimeOffset? Onset => null;

    public abstract AlertDescription Describe(AlertTransition transition, DateTimeOffset at);
}
