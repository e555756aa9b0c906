using System.Runtime.InteropServices;

namespace KpiStream.Streaming.Stores;

/// <summary>
/// A key-value store with an object cache over byte-level storage. Reads see the cache first;
/// <see cref="Flush"/> (at commit) writes the changed entries through and hands them to the
/// runtime for the changelog, so between commits a key changed many times costs one changelog
/// record. Entries stay cached after a flush, up to <see cref="MaxCachedEntries"/>, so hot keys are
/// not deserialized again on every read.
/// </summary>
internal sealed class CachedKeyValueStore<TKey, TValue> : IKeyValueStore<TKey, TValue>, IChangeLoggedStore
    where TKey : notnull
{
    private readonly IKeyValueBacking _backing;
    private readonly IStoreSerde<TKey> _keys;
    private readonly IStoreSerde<TValue> _values;
    private const int MaxCachedEntries = 200_000;
    private readonly Dictionary<TKey, CacheEntry> _cache = [];

    // True while every entry of the backing is also in the cache (a store that started empty and
    // never overflowed): a key missing from the cache is then absent, with no disk read.
    private bool _cacheHoldsAll;

    public CachedKeyValueStore(string name, IKeyValueBacking backing, IStoreSerde<TKey> keys, IStoreSerde<TValue> values)
    {
        Name = name;
        _backing = backing;
        _keys = keys;
        _values = values;
        _cacheHoldsAll = !backing.All().Any();
    }

    public string Name { get; }

    public long ApproximateCount => _backing.ApproximateCount;

    public TValue? Get(TKey key) => TryGet(key, out var value) ? value : default;

    public bool TryGet(TKey key, out TValue value)
    {
        if (_cache.TryGetValue(key, out var cached))
        {
            value = cached.Value!;
            return !cached.Deleted;
        }

        if (_cacheHoldsAll)
        {
            value = default!;
            return false;
        }

        var bytes = _backing.Get(_keys.Serialize(key));
        var found = bytes is not null;
        value = bytes is null ? default! : _values.Deserialize(bytes);
        _cache[key] = new CacheEntry(!found, value, Dirty: false);
        return found;
    }

    public void Put(TKey key, TValue value) => _cache[key] = new CacheEntry(false, value, Dirty: true);

    public void Delete(TKey key) => _cache[key] = new CacheEntry(true, default, Dirty: true);

    public IReadOnlyList<KeyValuePair<TKey, TValue>> All()
    {
        var merged = new Dictionary<TKey, TValue>();
        foreach (var (key, value) in _backing.All())
        {
            merged[_keys.Deserialize(key)] = _values.Deserialize(value);
        }

        foreach (var (key, entry) in _cache.Where(e => e.Value.Dirty))
        {
            if (entry.Deleted)
            {
                merged.Remove(key);
            }
            else
            {
                merged[key] = entry.Value!;
            }
        }

        return merged.ToList();
    }

    public IReadOnlyList<ChangelogEntry> Flush()
    {
        var changes = new List<ChangelogEntry>();
        List<TKey>? flushed = null;
        foreach (var (key, entry) in _cache)
        {
            if (entry.Dirty)
            {
                changes.Add(new ChangelogEntry(_keys.Serialize(key), entry.Deleted ? null : _values.Serialize(entry.Value!)));
                (flushed ??= []).Add(key);
            }
        }

        // Key order makes the changelog, and so a restore, independent of dictionary order.
        changes.Sort(ByKey);
        _backing.Write(changes);
        if (_cache.Count > MaxCachedEntries)
        {
            _cache.Clear();
            _cacheHoldsAll = false;
        }
        else if (flushed is not null)
        {
            foreach (var key in flushed)
            {
                ref var entry = ref CollectionsMarshal.GetValueRefOrNullRef(_cache, key);
                if (entry.Deleted)
                {
                    // Expired entries are rarely read again: do not let them fill the cache.
                    _cache.Remove(key);
                }
                else
                {
                    entry = entry with { Dirty = false };
                }
            }
        }

        return changes;
    }

    public void Restore(ChangelogEntry entry)
    {
        _cacheHoldsAll = false;
        _backing.Write([entry]);
        _cache.Remove(_keys.Deserialize(entry.Key));
    }

    private static readonly Comparison<ChangelogEntry> ByKey = (a, b) => a.Key.AsSpan().SequenceCompareTo(b.Key);

    private readonly record struct CacheEntry(bool Deleted, TValue? Value, bool Dirty);

    public void Close()
    {
        _cache.Clear();
        _backing.Dispose();
    }
}
