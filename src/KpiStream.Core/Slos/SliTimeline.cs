using System.Collections.Immutable;

namespace KpiStream.Core.Slos;

/// <summary>
/// SLI counts in consecutive steps (minutes, or hours for a long SLO period), the newest last,
/// holding at most <see cref="Capacity"/> steps. Steps never recorded count as nothing measured.
/// </summary>
/// <param name="LastStep">Index of the newest step (UTC ticks divided by the step), or null when empty.</param>
/// <param name="Steps">Oldest first; the last entry is <paramref name="LastStep"/>.</param>
public sealed record SliTimeline(TimeSpan Step, int Capacity, long? LastStep, ImmutableArray<SliCounts> Steps)
{
    public static SliTimeline Empty(TimeSpan step, int capacity) =>
        capacity > 0 && step > TimeSpan.Zero ? new(step, capacity, null, []) : throw new ArgumentOutOfRangeException(nameof(capacity), "A timeline holds at least one positive step.");

    /// <summary>Adds counts measured at <paramref name="at"/>; steps older than the newest by the capacity are forgotten.</summary>
    public SliTimeline Add(DateTimeOffset at, SliCounts counts)
    {
        var step = StepOf(at);
        var newest = LastStep is { } last ? Math.Max(last, step) : step;
        var oldestKept = newest - Capacity + 1;
        if (step < oldestKept)
        {
            return this;
        }

        var firstExisting = (LastStep ?? step) - Steps.Length + 1;
        var first = Math.Max(oldestKept, Math.Min(firstExisting, step));
        var steps = new SliCounts[newest - first + 1];
        for (var i = 0; i < Steps.Length; i++)
        {
            if (firstExisting + i >= first)
            {
                steps[firstExisting + i - first] = Steps[i];
            }
        }

        steps[step - first] = steps[step - first].Plus(counts);
        return this with { LastStep = newest, Steps = ImmutableArray.Create(steps) };
    }

    /// <summary>Sum of the <paramref name="duration"/> (whole steps) ending with the step of <paramref name="asOf"/>.</summary>
    public SliCounts Over(TimeSpan duration, DateTimeOffset asOf)
    {
        if (LastStep is not { } last)
        {
            return SliCounts.None;
        }

        var newest = StepOf(asOf);
        var oldest = newest - (long)(duration / Step) + 1;
        var sum = SliCounts.None;
        for (var i = 0; i < Steps.Length; i++)
        {
            var step = last - (Steps.Length - 1 - i);
            if (step >= oldest && step <= newest)
            {
                sum = sum.Plus(Steps[i]);
            }
        }

        return sum;
    }

    // UtcTicks count from year 1, so they are never negative and division floors.
    private long StepOf(DateTimeOffset at) => at.UtcTicks / Step.Ticks;
}
