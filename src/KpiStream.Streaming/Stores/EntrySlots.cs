namespace KpiStream.Streaming.Stores;

/// <summary>
/// Values in numbered slots, stored in fixed-size chunks: a slot's number and place stay the same
/// while it is in use, and a freed slot is reused. Growing adds a chunk and copies nothing.
/// </summary>
/// <remarks>
/// The store's cache once held its entries inline in a dictionary. Every time the dictionary
/// doubled it allocated and copied all of them again: for the session store of a cold start, about
/// 50 MB of large-object arrays in a run of 150,000 events. Now only the index (key to slot number)
/// is rehashed, and its entries are small.
/// </remarks>
internal sealed class EntrySlots<T>
{
    private const int ChunkBits = 10;
    private const int ChunkSize = 1 << ChunkBits;

    private readonly List<T[]> _chunks = [];
    private readonly Stack<int> _free = [];
    private int _next;

    public ref T this[int slot] => ref _chunks[slot >> ChunkBits][slot & (ChunkSize - 1)];

    /// <summary>Puts <paramref name="value"/> in a free slot and returns its number.</summary>
    public int Add(T value)
    {
        if (!_free.TryPop(out var slot))
        {
            slot = _next++;
            if (slot >> ChunkBits == _chunks.Count)
            {
                _chunks.Add(new T[ChunkSize]);
            }
        }

        this[slot] = value;
        return slot;
    }

    /// <summary>Clears the slot, so that it holds no references, and makes it free for reuse.</summary>
    public void Free(int slot)
    {
        this[slot] = default!;
        _free.Push(slot);
    }

    public void Clear()
    {
        _chunks.Clear();
        _free.Clear();
        _next = 0;
    }
}
