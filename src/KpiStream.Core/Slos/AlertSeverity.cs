namespace KpiStream.Core.Slos;

/// <summary>Who acts on an alert. Declared most urgent first.</summary>
public enum AlertSeverity
{
    /// <summary>Wake a human now.</summary>
    Page,

    /// <summary>Someone looks at it in working hours.</summary>
    Ticket,
}
