namespace KpiStream.Core.Journeys;

/// <summary>What an event type means for its journey's funnel.</summary>
public enum EventRole
{
    Start,
    Success,
    Failure,
}
