namespace KpiStream.Processor.Demo;

/// <summary>
/// How the demo drives one journey of the journeys file: its share of sessions, how they end and
/// how fast its service answers. Healthy failure shares sit well inside the shipped SLOs (at least
/// five times under each budget, so a young history does not ticket on noise).
/// </summary>
/// <param name="Weight">Relative share of session starts.</param>
/// <param name="Operation">The request its service answers; null for <c>POST /{journey}</c>.</param>
/// <param name="Revenue">Whether a success carries an order amount.</param>
public sealed record DemoProfile(double Weight, double SuccessShare, double AbandonShare, double MedianLatencyMs, string? Operation = null, bool Revenue = false)
{
    /// <summary>For a journey the demo has no profile of: as many sessions as any other, 99.9% success.</summary>
    public static readonly DemoProfile Default = new(Weight: 0.2, SuccessShare: 0.999, AbandonShare: 0.05, MedianLatencyMs: 200);

    private static readonly Dictionary<string, DemoProfile> Known = new(StringComparer.Ordinal)
    {
        ["checkout"] = new(Weight: 0.5, SuccessShare: 0.999, AbandonShare: 0.08, MedianLatencyMs: 320, "POST /orders", Revenue: true),
        ["login"] = new(Weight: 0.35, SuccessShare: 0.9999, AbandonShare: 0.02, MedianLatencyMs: 90, "POST /sessions"),
        ["signup"] = new(Weight: 0.15, SuccessShare: 0.998, AbandonShare: 0.2, MedianLatencyMs: 210, "POST /accounts"),
    };

    /// <summary>The profile of the sample journeys file's journey of that name, or <see cref="Default"/>.</summary>
    public static DemoProfile For(string journey) => Known.GetValueOrDefault(journey, Default);
}
