using KpiStream.Streaming.Stores;

namespace KpiStream.Processor.Kpis;

/// <summary>
/// How far an alerting processor has judged closed minutes, kept in its own store, so a signal
/// replayed after a restore is recognised and judged no second time.
/// </summary>
public sealed class EvaluationProgress(IKeyValueStore<string, long> store)
{
    private const string Key = "evaluated-through";

    public DateTimeOffset Through { get; private set; } = DateTimeOffset.MinValue;

    public void Restore()
    {
        if (store.TryGet(Key, out var through))
        {
            Through = DateTimeOffset.FromUnixTimeMilliseconds(through);
        }
    }

    /// <summary>Whether the signal closes minutes not judged yet.</summary>
    public bool IsNew(ClosedMinutes signal) => signal.ClosedThrough > Through;

    /// <summary>
    /// Walks the minutes the signal leaves to judge: before judging the end of each, records the
    /// journey minutes that start before it, so every judgement sees exactly the minutes closed by
    /// then; then marks the signal judged.
    /// </summary>
    public void Judge(ClosedMinutes signal, TimeSpan maxCatchUp, Action<JourneyMinute> record, Action<DateTimeOffset> judge) =>
        Judge(signal, maxCatchUp, signal.JourneyMinutes, m => m.Start, record, judge);

    /// <summary>As above, over the caller's own grouping of the signal's minutes, oldest first.</summary>
    public void Judge<TMinute>(ClosedMinutes signal, TimeSpan maxCatchUp, IReadOnlyList<TMinute> minutes, Func<TMinute, DateTimeOffset> startOf, Action<TMinute> record, Action<DateTimeOffset> judge)
    {
        var next = 0;
        foreach (var end in signal.MinuteEnds(Through, maxCatchUp))
        {
            for (; next < minutes.Count && startOf(minutes[next]) < end; next++)
            {
                record(minutes[next]);
            }

            judge(end);
        }

        Through = signal.ClosedThrough;
        store.Put(Key, signal.ClosedThrough.ToUnixTimeMilliseconds());
    }
}
