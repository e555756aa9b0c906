namespace KpiStream.Streaming.Stores;

/// <summary>
/// A key-value store with a write cache over byte-level storage. Reads see the cache first;
/// <see cref="Flush"/> (at commit) writes the cache through and hands the changes to the runtime
/// for the changelog, so between commits a key changed many times costs one changelog record.
/// </summary>
internal sealed class CachedKeyValueStore<TKey, TValue> : IKeyValueStore<TKey, TValue>, IChangeLoggedStore
    where TKey : notnull
{
    private readonly IKeyValueBacking _backing;
    private readonly IStoreSerde<TKey> _keys;
    private readonly IStoreSerde<TValue> _values;
    private readonly Dictionary<TKey, (bool Deleted, TValue? Value)> _cache = [];

    public CachedKeyValueStore(string name, IKeyValueBacking backing, IStoreSerde<TKey> keys, IStoreSerde<TValue> values)
    {
        Name = name;
        _backing = backing;
        _keys = keys;
        _values = values;
    }

    public string Name { get; }

    public long Count => All().Count;

    public long ApproximateCount => _backing.ApproximateCount;

    public TValue? Get(TKey key) => TryGet(key, out var value) ? value : default;

    public bool TryGet(TKey key, out TValue value)
    {
        if (_cache.TryGetValue(key, out var cached))
        {
            value = cached.Value!;
            return !cached.Deleted;
        }

        if (_backing.Get(_keys.Serialize(key)) is { } bytes)
        {
            value = _values.Deserialize(bytes);
            return true;
        }

        value = default!;
        return false;
    }

    public void Put(TKey key, TValue value) => _cache[key] = (false, value);

    public void Delete(TKey key) => _cache[key] = (true, default);

    public IReadOnlyList<KeyValuePair<TKey, TValue>> All()
    {
        var merged = new Dictionary<TKey, TValue>();
        foreach (var (key, value) in _backing.All())
        {
            merged[_keys.Deserialize(key)] = _values.Deserialize(value);
        }

        foreach (var (key, (deleted, value)) in _cache)
        {
            if (deleted)
            {
                merged.Remove(key);
            }
            else
            {
                merged[key] = value!;
            }
        }

        return merged.ToList();
    }

    public IReadOnlyList<ChangelogEntry> Flush()
    {
        var changes = _cache
            .Select(e => new ChangelogEntry(_keys.Serialize(e.Key), e.Value.Deleted ? null : _values.Serialize(e.Value.Value!)))
            .OrderBy(e => e.Key, Comparer<byte[]>.Create((a, b) => a.AsSpan().SequenceCompareTo(b)))
            .ToList();
        _backing.Write(changes);
        _cache.Clear();
        return changes;
    }

    public void Restore(ChangelogEntry entry) => _backing.Write([entry]);

    public void Close()
    {
        _cache.Clear();
        _backing.Dispose();
    }
}
