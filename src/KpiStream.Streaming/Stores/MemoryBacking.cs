namespace KpiStream.Streaming.Stores;

/// <summary>Byte-level storage in memory, ordered like RocksDB's default comparator.</summary>
internal sealed class MemoryBacking : IKeyValueBacking
{
    private readonly SortedDictionary<byte[], byte[]> _entries = new(ByteOrder.Instance);

    public long ApproximateCount => _entries.Count;

    public byte[]? Get(byte[] key) => _entries.GetValueOrDefault(key);

    public void Write(IReadOnlyList<ChangelogEntry> changes)
    {
        foreach (var change in changes)
        {
            if (change.Value is null)
            {
                _entries.Remove(change.Key);
            }
            else
            {
                _entries[change.Key] = change.Value;
            }
        }
    }

    public IEnumerable<KeyValuePair<byte[], byte[]>> All() => _entries.ToList();

    public void Dispose() => _entries.Clear();

    private sealed class ByteOrder : IComparer<byte[]>
    {
        public static readonly ByteOrder Instance = new();

        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }
}
