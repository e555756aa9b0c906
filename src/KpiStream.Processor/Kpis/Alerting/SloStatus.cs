using System.Collections.Immutable;
using KpiStream.Core.Slos;

namespace KpiStream.Processor.Kpis.Alerting;

/// <summary>A journey-wide SLO as last judged: burn rate per window and the budget of its period, at the end of <paramref name="At"/>'s minute.</summary>
public sealed record SloStatus(string Journey, string Slo, double Objective, DateTimeOffset At, ImmutableSortedDictionary<string, double> BurnRates, ErrorBudget Budget);
