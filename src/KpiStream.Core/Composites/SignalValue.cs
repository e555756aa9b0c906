namespace KpiStream.Core.Composites;

/// <summary>A signal read over a window: null when undefined (no denominator), and the samples it rests on.</summary>
public readonly record struct SignalValue(double? Value, long Samples);
