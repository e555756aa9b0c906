namespace KpiStream.Core.Composites;

/// <summary>A journey-wide KPI a composite alert condition watches, read from summed minute counters.</summary>
public enum KpiSignal
{
    /// <summary>Successes per attempt in the window: event-level conversion, known as soon as the minutes close.</summary>
    Conversion,

    /// <summary>successes / (successes + failures).</summary>
    SuccessRate,

    /// <summary>Request errors per request of the journey's services.</summary>
    ErrorRate,

    LatencyP50Ms,
    LatencyP95Ms,
    LatencyP99Ms,

    /// <summary>Journey start events per minute.</summary>
    AttemptsPerMinute,

    /// <summary>Requests to the journey's services per minute.</summary>
    RequestsPerMinute,
}
