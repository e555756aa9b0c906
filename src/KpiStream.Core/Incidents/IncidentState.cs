namespace KpiStream.Core.Incidents;

public enum IncidentState
{
    /// <summary>At least one of its alerts fires.</summary>
    Open,

    /// <summary>Every one of its alerts has resolved.</summary>
    Closed,
}
