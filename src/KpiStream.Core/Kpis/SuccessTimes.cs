namespace KpiStream.Core.Kpis;

/// <summary>
/// The event times of a session's successes, in the order they arrived: an immutable value whose
/// first time is held inline, and only a session of more successes has an array.
/// </summary>
/// <remarks>
/// A session's events come from different services and may arrive out of event-time order, so
/// whether it converted is decided again whenever an earlier start arrives: against every success,
/// including those that arrived before any start.
/// </remarks>
public readonly struct SuccessTimes
{
    private readonly long _firstTicks;

    // Every time past the first, in arrival order; null while there are none.
    private readonly long[]? _moreTicks;

    private SuccessTimes(int count, long firstTicks, long[]? moreTicks)
    {
        Count = count;
        _firstTicks = firstTicks;
        _moreTicks = moreTicks;
    }

    public static SuccessTimes None => default;

    public int Count { get; }

    public DateTimeOffset this[int index] => (uint)index >= (uint)Count
        ? throw new ArgumentOutOfRangeException(nameof(index), index, $"The session holds {Count} success times.")
        : new DateTimeOffset(index == 0 ? _firstTicks : _moreTicks![index - 1], TimeSpan.Zero);

    public static SuccessTimes Of(IEnumerable<DateTimeOffset> times) =>
        times.Aggregate(None, (all, at) => all.Add(at));

    /// <summary>These times and then <paramref name="at"/>.</summary>
    public SuccessTimes Add(DateTimeOffset at) => Count == 0
        ? new SuccessTimes(1, at.UtcTicks, null)
        : new SuccessTimes(Count + 1, _firstTicks, [.. _moreTicks ?? [], at.UtcTicks]);

    /// <summary>Whether a success happened at or after <paramref name="start"/> and at most <paramref name="timeout"/> after it.</summary>
    public bool AnyWithin(DateTimeOffset start, TimeSpan timeout)
    {
        var from = start.UtcTicks;
        var to = (start + timeout).UtcTicks;
        for (var i = 0; i < Count; i++)
        {
            var ticks = i == 0 ? _firstTicks : _moreTicks![i - 1];
            if (ticks >= from && ticks <= to)
            {
                return true;
            }
        }

        return false;
    }
}
