namespace KpiStream.Streaming.Runtime;

/// <summary>What the runtime reports about itself; the host turns it into metrics.</summary>
public interface IRuntimeObserver
{
    /// <summary>Records handed to tasks; reported once per batch and topic, not per record, to keep metrics off the hot path.</summary>
    void RecordsConsumed(string topic, int records);

    /// <summary>Records written in a transaction that committed, reported once per commit and topic.</summary>
    void RecordsProduced(string topic, int records);

    /// <summary>Time spent processing one batch of <paramref name="records"/> records.</summary>
    void BatchProcessed(int records, TimeSpan elapsed);

    /// <summary>A transaction committed outputs, state changes and input positions.</summary>
    void Committed(TimeSpan elapsed);

    /// <summary>A transaction was aborted; tasks are rewound to their checkpoints.</summary>
    void Aborted(string reason);

    /// <summary>A stream thread gained (<paramref name="taskChange"/> &gt; 0) or gave up tasks in a rebalance.</summary>
    void Rebalanced(int taskChange);

    /// <summary>Changelog records applied to a restoring store since its last report: reported after every slice of a restore, so a long one shows progress.</summary>
    void RestoreProgressed(string store, int partition, long records);

    /// <summary>A store finished restoring: its changelog records in all, and the time since its task began restoring (a task's stores restore together).</summary>
    void Restored(string store, int partition, long records, TimeSpan elapsed);

    void StoreSize(string store, int partition, long entries);

    void Lag(string topic, int partition, long lag);

    /// <summary>A consumer reported an error that is not fatal (librdkafka retries by itself); <paramref name="code"/> is its error code's name.</summary>
    void ConsumerError(string code);

    /// <summary>A stream thread's input was paused for <paramref name="duration"/> while its producer's queue drained; reported on resuming.</summary>
    void InputPaused(TimeSpan duration);

    /// <summary>A record could not be processed because <paramref name="dependency"/> is unavailable; it is tried again after a backoff.</summary>
    void DependencyUnavailable(string dependency);

    /// <summary>Partitions started (<paramref name="change"/> &gt; 0) or stopped waiting for an unavailable dependency.</summary>
    void PartitionsWaiting(int change);
}
