namespace KpiStream.Core.Slos;

/// <summary>
/// SLI counts in consecutive steps (minutes, or hours for a long SLO period) over the last
/// <see cref="Capacity"/> steps, kept as running totals so the sum over any trailing window is two
/// lookups: an evaluator can judge every subject every minute. Steps are added in time order (a
/// step may be added to again until a later one arrives); steps never added count as nothing
/// measured, and windows longer than the capacity see only the capacity. Mutable by design: it is
/// a cache over a state store, rebuilt from the store when a task starts.
/// </summary>
public sealed class SliLedger
{
    // Running totals of steps _last - Capacity .. _last: one more than the capacity, so a full-capacity window has the total before it.
    private readonly SliCounts[] _running;
    private long _first = long.MinValue;
    private long _last = long.MinValue;

    public SliLedger(TimeSpan step, int capacity)
    {
        if (step <= TimeSpan.Zero || capacity <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(capacity), "A ledger holds at least one positive step.");
        }

        Step = step;
        Capacity = capacity;
        _running = new SliCounts[capacity + 1];
    }

    public TimeSpan Step { get; }

    public int Capacity { get; }

    /// <summary>Start of the newest step, or null when nothing was added.</summary>
    public DateTimeOffset? Newest => IsEmpty ? null : new DateTimeOffset(_last * Step.Ticks, TimeSpan.Zero);

    private bool IsEmpty => _last == long.MinValue;

    /// <summary>Adds counts measured at <paramref name="at"/>, which is not before the newest step.</summary>
    public void Add(DateTimeOffset at, SliCounts counts)
    {
        var step = StepOf(at);
        if (IsEmpty)
        {
            _first = step;
            _last = step;
            _running[Slot(step)] = counts;
            return;
        }

        if (step < _last)
        {
            throw new ArgumentException($"Steps are added in time order: {at:O} is before the newest step {Newest:O}.", nameof(at));
        }

        var total = _running[Slot(_last)];
        for (var s = Math.Max(_last + 1, step - Capacity); s < step; s++)
        {
            _running[Slot(s)] = total;
        }

        _running[Slot(step)] = total.Plus(counts);
        _last = step;
    }

    /// <summary>Sum of the <paramref name="duration"/> (whole steps) ending with the step of <paramref name="asOf"/>.</summary>
    public SliCounts Over(TimeSpan duration, DateTimeOffset asOf)
    {
        var newest = StepOf(asOf);
        var upTo = RunningThrough(newest);
        var before = RunningThrough(newest - (long)(duration / Step));
        return new SliCounts(upTo.Good - before.Good, upTo.Total - before.Total);
    }

    /// <summary>The running total through <paramref name="step"/>, clamped to the steps held.</summary>
    private SliCounts RunningThrough(long step)
    {
        if (IsEmpty)
        {
            return SliCounts.None;
        }

        var held = Math.Clamp(step, _last - Capacity, _last);
        return held < _first ? SliCounts.None : _running[Slot(held)];
    }

    private int Slot(long step) => (int)(((step % _running.Length) + _running.Length) % _running.Length);

    // UtcTicks count from year 1, so they are never negative and division floors.
    private long StepOf(DateTimeOffset at) => at.UtcTicks / Step.Ticks;
}
