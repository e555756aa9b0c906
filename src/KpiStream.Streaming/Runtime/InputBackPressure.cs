namespace KpiStream.Streaming.Runtime;

/// <summary>
/// Decides when a stream thread pauses its input because its producer cannot keep up. A record's
/// outputs are always produced whole (the thread waits for room in the producer's queue), but once
/// the queue has filled while processing, the thread pauses its partitions, so it keeps polling
/// (and stays in its group) while acknowledgements drain the queue, instead of reading more input
/// it cannot write out. Input resumes once half of what was in flight at the pause is acknowledged.
/// </summary>
/// <remarks>A commit flushes the producer, so a queue that filled while a commit wrote its changelogs is empty again before the next check and pauses nothing, whatever the next batch sends.</remarks>
internal sealed class InputBackPressure(TimeProvider clock)
{
    private long _inFlight;
    private bool _queueFilled;

    // The in-flight count at which to resume; null while input flows.
    private long? _resumeAt;
    private long _pausedAt;

    public bool IsPaused => _resumeAt is not null;

    public void Sent() => _inFlight++;

    /// <summary>A delivery report, successful or not: the record left the producer's queue.</summary>
    public void Acknowledged() => _inFlight--;

    /// <summary>A produce call found the queue full.</summary>
    public void QueueFull() => _queueFilled = true;

    /// <summary>
    /// A flush acknowledged everything sent (a commit): a queue that filled before it needs no pause,
    /// even once the next batch sends again. Delivery reports served while waiting for room do not
    /// count: they empty the queue only for the batch to fill it again.
    /// </summary>
    public void Flushed() => _queueFilled = false;

    /// <summary>A new producer has nothing in flight; the old one's reports never arrive.</summary>
    public void ProducerReplaced()
    {
        _inFlight = 0;
        _queueFilled = false;
    }

    /// <summary>Called once per poll loop: whether input must pause now, resume now (after <paramref name="pausedFor"/>), or stay as it is.</summary>
    public InputChange Check(out TimeSpan pausedFor)
    {
        pausedFor = TimeSpan.Zero;
        var filled = _queueFilled;
        _queueFilled = false;
        if (_resumeAt is { } resumeAt)
        {
            if (_inFlight > resumeAt)
            {
                return InputChange.None;
            }

            _resumeAt = null;
            pausedFor = clock.GetElapsedTime(_pausedAt);
            return InputChange.Resume;
        }

        if (!filled || _inFlight <= 0)
        {
            return InputChange.None;
        }

        _resumeAt = _inFlight / 2;
        _pausedAt = clock.GetTimestamp();
        return InputChange.Pause;
    }
}
