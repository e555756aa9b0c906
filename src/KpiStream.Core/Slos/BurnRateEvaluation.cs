using System.Collections.Immutable;

namespace KpiStream.Core.Slos;

/// <summary>An SLO judged at one instant: burn rate per window name, and the policy rules that tripped.</summary>
public sealed record BurnRateEvaluation(ImmutableSortedDictionary<string, double> BurnRates, ImmutableArray<MultiWindowRule> Tripped)
{
    /// <summary>The most urgent severity tripped, or null when nothing tripped.</summary>
    public AlertSeverity? Severity => Tripped.IsEmpty ? null : Tripped.Min(r => r.Severity);

    public bool Trips(AlertSeverity severity) => Tripped.Any(r => r.Severity == severity);

    /// <summary>Names of the windows of the rules that tripped at <paramref name="severity"/>.</summary>
    public ImmutableArray<string> TrippedWindows(AlertSeverity severity) =>
        [.. Tripped.Where(r => r.Severity == severity).SelectMany(r => new[] { r.LongWindow, r.ShortWindow }).Distinct().OrderBy(w => w.Duration).Select(w => w.Name)];
}
