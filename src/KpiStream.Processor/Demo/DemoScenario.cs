namespace KpiStream.Processor.Demo;

/// <summary>
/// A named, realistic fault the demo injects into otherwise healthy traffic, at a known onset
/// (event time after the demo's start) and for a known duration, so the alert it should raise can
/// be checked against the policy's detection time.
/// </summary>
/// <param name="Journey">The journey the fault hits; null for none (healthy).</param>
/// <param name="FailureShare">Share of the journey's outcomes that fail during the fault; null keeps the healthy share.</param>
/// <param name="LatencyFactor">Multiplier of the journey's request latencies during the fault.</param>
/// <param name="AbandonShare">Share of the journey's sessions that give up before an outcome during the fault; null keeps the healthy share.</param>
/// <param name="TrafficFactor">Multiplier of the journey's session starts during the fault (0: silence).</param>
/// <param name="DeployVersion">Version the fault's service is deployed at its onset (a bad deploy), rolled back at its end.</param>
/// <param name="Region">The one region whose sessions the fault hits; null for all of them.</param>
/// <param name="PlanTier">The one plan tier whose sessions the fault hits; null for all of them.</param>
public sealed record DemoScenario(
    string Name,
    string Description,
    string? Journey,
    TimeSpan Onset,
    TimeSpan Duration,
    double? FailureShare = null,
    double LatencyFactor = 1,
    double? AbandonShare = null,
    double TrafficFactor = 1,
    string? DeployVersion = null,
    string? Region = null,
    string? PlanTier = null)
{
    public const string HealthyName = "healthy";

    public static readonly IReadOnlyList<DemoScenario> All =
    [
        new(HealthyName, "Healthy traffic: no alert should fire.", null, TimeSpan.Zero, TimeSpan.Zero),
        new("checkout-outage", "Payments fail: 90% of checkouts fail for 20 minutes.", "checkout", TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(20), FailureShare: 0.9),
        new("latency-regression", "Checkout requests slow down sixfold for 40 minutes and a quarter of customers give up.", "checkout", TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(40), LatencyFactor: 6, AbandonShare: 0.25),
        new("bad-deploy", "checkout-api v1.1.0 fails 30% of checkouts until rolled back 30 minutes later.", "checkout", TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(30), FailureShare: 0.3, DeployVersion: "v1.1.0"),
        new("traffic-drop", "Logins stop arriving for 30 minutes (a broken client release).", "login", TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(30), TrafficFactor: 0),
        new(
            "region-outage",
            $"Every checkout in {DemoTrafficGenerator.SmallRegion}, a small region ({DemoTrafficGenerator.SmallRegionShare:P0} of the traffic), fails for 40 minutes; the journey as a whole stays under every page threshold.",
            "checkout",
            TimeSpan.FromMinutes(30),
            TimeSpan.FromMinutes(40),
            FailureShare: 1,
            Region: DemoTrafficGenerator.SmallRegion),
        new(
            "plan-outage",
            "60% of the enterprise plan's checkouts (a third of the traffic) fail for 30 minutes: the tier pages first, the journey as a whole later, as one incident.",
            "checkout",
            TimeSpan.FromMinutes(30),
            TimeSpan.FromMinutes(30),
            FailureShare: 0.6,
            PlanTier: "enterprise"),
    ];

    public static DemoScenario Healthy => All[0];

    public static DemoScenario? Find(string name) => All.FirstOrDefault(s => s.Name == name);

    /// <summary>Whether the fault is on at <paramref name="elapsed"/> event time after the demo's start, for <paramref name="journey"/>.</summary>
    public bool Affects(string journey, TimeSpan elapsed) =>
        journey == Journey && elapsed >= Onset && elapsed < Onset + Duration;

    /// <summary>Whether the fault is on for a session of <paramref name="journey"/> in <paramref name="region"/> on <paramref name="planTier"/> at <paramref name="elapsed"/>.</summary>
    public bool Affects(string journey, string region, string planTier, TimeSpan elapsed) =>
        Affects(journey, elapsed) && (Region is null || Region == region) && (PlanTier is null || PlanTier == planTier);
}
