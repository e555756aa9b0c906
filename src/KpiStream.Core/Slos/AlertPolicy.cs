using System.Collections.Immutable;

namespace KpiStream.Core.Slos;

/// <summary>
/// When an SLO alerts: multi-window rules (any one trips the alert at its severity), how long no
/// rule may trip before a firing alert resolves, so a flapping SLI does not fire and resolve on
/// every evaluation, and how many bad events a rule's long window must hold before it may trip,
/// so one failure in a quiet journey or a young history is never an incident.
/// </summary>
public sealed record AlertPolicy(string Name, ImmutableArray<MultiWindowRule> Rules, TimeSpan ResolveAfter, int MinimumBadEvents = 0)
{
    public const string WorkbookName = "workbook";

    /// <summary>
    /// The SRE workbook's default: page at 14.4× over 1h and 5m (2% of a 30-day budget in an hour)
    /// or 6× over 6h and 30m (5% in six hours); ticket at 1× over 3d and 6h (10% in three days);
    /// plus a floor of 5 bad events in the long window (the workbook's advice for low traffic).
    /// </summary>
    public static readonly AlertPolicy Workbook = new(
        WorkbookName,
        [
            new(AlertSeverity.Page, SloWindow.OfHours(1), SloWindow.OfMinutes(5), 14.4),
            new(AlertSeverity.Page, SloWindow.OfHours(6), SloWindow.OfMinutes(30), 6),
            new(AlertSeverity.Ticket, SloWindow.OfDays(3), SloWindow.OfHours(6), 1),
        ],
        TimeSpan.FromMinutes(5),
        MinimumBadEvents: 5);

    /// <summary>Windows whose burn rate every evaluation reports, whatever the rules read: 5m, 30m, 1h, 6h, 1d, 3d.</summary>
    public static readonly ImmutableArray<SloWindow> ReportedWindows =
        [SloWindow.OfMinutes(5), SloWindow.OfMinutes(30), SloWindow.OfHours(1), SloWindow.OfHours(6), SloWindow.OfDays(1), SloWindow.OfDays(3)];

    /// <summary>Every window any rule reads, shortest first.</summary>
    public IEnumerable<SloWindow> Windows =>
        Rules.SelectMany(r => new[] { r.LongWindow, r.ShortWindow }).Distinct().OrderBy(w => w.Duration);

    /// <summary>The longest window any rule reads.</summary>
    public SloWindow LongestWindow => Windows.Last();

    /// <summary>How much per-minute SLI history an evaluation reads: the longest window a rule reads or a report shows.</summary>
    public SloWindow History => Windows.Concat(ReportedWindows).MaxBy(w => w.Duration);

    public BurnRateEvaluation Evaluate(Func<SloWindow, SliCounts> countsOver, double objective)
    {
        var burnRates = Windows.Union(ReportedWindows).ToImmutableSortedDictionary(w => w.Name, w => BurnRate.Of(countsOver(w), objective), StringComparer.Ordinal);
        var tripped = Rules.Where(r => r.Trips(countsOver, objective) && countsOver(r.LongWindow).Bad >= MinimumBadEvents).ToImmutableArray();
        return new BurnRateEvaluation(burnRates, tripped);
    }
}
