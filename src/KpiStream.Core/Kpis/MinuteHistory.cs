namespace KpiStream.Core.Kpis;

/// <summary>
/// A journey's counters per closed minute, all segments summed, from which any span of whole
/// minutes is summed. A minute is added once: adding it again (a replay) changes nothing.
/// </summary>
public sealed class MinuteHistory
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private readonly Dictionary<DateTimeOffset, KpiCounters> _minutes = [];

    public int Count => _minutes.Count;

    /// <returns>False when the minute is already held.</returns>
    public bool Add(DateTimeOffset minuteStart, KpiCounters counters) => _minutes.TryAdd(minuteStart, counters);

    /// <summary>The sum of the minutes starting in [<paramref name="from"/>, <paramref name="to"/>); minutes not held count as zero.</summary>
    public KpiCounters Sum(DateTimeOffset from, DateTimeOffset to)
    {
        var sum = new KpiCountersSum(KpiCounters.Zero);
        for (var minute = from; minute < to; minute += Minute)
        {
            if (_minutes.TryGetValue(minute, out var counters))
            {
                sum.Add(counters);
            }
        }

        return sum.ToCounters();
    }

    public void Forget(DateTimeOffset minuteStart) => _minutes.Remove(minuteStart);
}
