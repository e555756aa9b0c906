using KpiStream.Streaming.Stores;

namespace KpiStream.Processor.Kpis.Alerting;

/// <summary>
/// How far the alerting stage has judged closed minutes, kept in its own store, so a signal
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

    public void Judged(ClosedMinutes signal)
    {
        Through = signal.ClosedThrough;
        store.Put(Key, signal.ClosedThrough.ToUnixTimeMilliseconds());
    }
}
