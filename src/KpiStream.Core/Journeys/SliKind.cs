namespace KpiStream.Core.Journeys;

/// <summary>How an SLO measures good and bad outcomes.</summary>
public enum SliKind
{
    /// <summary>success / (success + failure) events of the journey.</summary>
    EventRatio,

    /// <summary>Share of the journey's requests faster than a threshold.</summary>
    Latency,

    /// <summary>Share of the journey's services' requests that did not error.</summary>
    Availability,
}
