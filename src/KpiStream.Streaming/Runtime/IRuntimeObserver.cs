namespace KpiStream.Streaming.Runtime;

/// <summary>What the runtime reports about itself; the host turns it into metrics.</summary>
public interface IRuntimeObserver
{
    void RecordConsumed(string topic);

    void RecordProduced(string topic);

    /// <summary>Time spent processing one batch of <paramref name="records"/> records.</summary>
    void BatchProcessed(int records, TimeSpan elapsed);

    void Committed(TimeSpan elapsed);

    void Lag(string topic, int partition, long lag);

    void TasksChanged(int assignedTasks);
}
