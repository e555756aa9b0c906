using KpiStream.Streaming.Processors;

namespace KpiStream.Streaming.Runtime;

/// <summary>One scheduled punctuator of a task.</summary>
/// <param name="scheduledAt">The clock's time when scheduled; null when stream time is still unknown, so the first record starts the interval.</param>
internal sealed class Punctuation(string nodeName, TimeSpan interval, PunctuationType type, Action<DateTimeOffset> callback, DateTimeOffset? scheduledAt) : IDisposable
{
    private DateTimeOffset? _next = scheduledAt + interval;

    public string NodeName { get; } = nodeName;

    public PunctuationType Type { get; } = type;

    public bool Cancelled { get; private set; }

    /// <summary>Fires at most once per call, however many intervals have passed, so a long pause does not replay a burst.</summary>
    public bool MaybeFire(DateTimeOffset now)
    {
        if (Cancelled || now == DateTimeOffset.MinValue)
        {
            return false;
        }

        _next ??= now + interval;
        if (now < _next)
        {
            return false;
        }

        _next = now + interval;
        callback(now);
        return true;
    }

    public void Dispose() => Cancelled = true;
}
