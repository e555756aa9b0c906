using KpiStream.Streaming.Records;

namespace KpiStream.Streaming.Processors;

/// <summary>A processor's only way back into the runtime.</summary>
public interface IProcessorContext
{
    TaskId TaskId { get; }

    /// <summary>Source of the record being processed; null inside a punctuation.</summary>
    RecordMetadata? RecordMetadata { get; }

    /// <summary>Highest record timestamp this task has seen; <see cref="DateTimeOffset.MinValue"/> before the first.</summary>
    DateTimeOffset StreamTime { get; }

    /// <summary>Wall-clock time from the runtime's <see cref="TimeProvider"/>.</summary>
    DateTimeOffset WallClockTime { get; }

    /// <summary>Sends a record to all children, or only to the named one.</summary>
    void Forward<TKey, TValue>(Record<TKey, TValue> record, string? childName = null);

    /// <summary>
    /// Calls <paramref name="punctuator"/> every <paramref name="interval"/> of the chosen clock,
    /// with that clock's time. Records forwarded inside a punctuation carry no source metadata.
    /// </summary>
    IDisposable Schedule(TimeSpan interval, PunctuationType type, Action<DateTimeOffset> punctuator);

    TStore GetStateStore<TStore>(string name)
        where TStore : IStateStore;
}
