namespace KpiStream.Processor.Kpis.State;

/// <summary>
/// Store keys by the stream time at which they may be deleted, kept in memory so expiry does not
/// scan the stores. Rebuilt from the stores when a task starts.
/// </summary>
public sealed class ExpiryIndex<TKey>
{
    private readonly PriorityQueue<TKey, DateTimeOffset> _queue = new();

    public void Add(TKey key, DateTimeOffset expiresAt) => _queue.Enqueue(key, expiresAt);

    /// <summary>Removes and returns the keys due at or before <paramref name="streamTime"/>; a key added twice may come twice.</summary>
    public IEnumerable<TKey> TakeDue(DateTimeOffset streamTime)
    {
        while (_queue.TryPeek(out var key, out var at) && at <= streamTime)
        {
            _queue.Dequeue();
            yield return key;
        }
    }
}
