namespace KpiStream.Processor.Kpis.Alerting;

/// <summary>How the stage estimates an alert's customer impact.</summary>
public abstract record ImpactBasis;

/// <summary>
/// From the journey's outcomes: the sessions in the <paramref name="During"/> before the alert's
/// minute end, and the conversions they lost against the hour ending at <paramref name="BaselineEnd"/>,
/// priced at that hour's average order value.
/// </summary>
public sealed record OutcomesOverSpan(TimeSpan During, DateTimeOffset BaselineEnd) : ImpactBasis;

/// <summary>A segment's part of the journey's outcomes over a span: <paramref name="Share"/> (0 to 1) of its sessions and lost conversions.</summary>
/// <param name="Criticality">The segment's own weight, where its SLO gives it one; null for the journey's.</param>
public sealed record ShareOfOutcomes(OutcomesOverSpan Journey, double Share, double? Criticality) : ImpactBasis;

/// <summary>Sessions that should have arrived and did not (silence): nothing converted, no price known.</summary>
public sealed record MissingSessions(long Sessions) : ImpactBasis;
