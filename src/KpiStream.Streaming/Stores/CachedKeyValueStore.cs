using System.Runtime.InteropServices;

namespace KpiStream.Streaming.Stores;

/// <summary>
/// A key-value store with an object cache over byte-level storage. Reads see the cache first;
/// <see cref="Flush"/> (at commit) hands the changed entries to the runtime for the changelog,
/// so between commits a key changed many times costs one changelog record.
/// </summary>
/// <remarks>
/// Local storage is rebuilt from the changelog on every assignment, so it is only where entries
/// go that do not fit in memory. While the whole state fits in the cache (up to
/// <c>maxCachedEntries</c>), nothing is written to the backing at all; the first flush past that
/// writes every live entry out and clears the cache, and from then on flushes write through and
/// the cache keeps recently used entries until it fills again.
/// </remarks>
internal sealed class CachedKeyValueStore<TKey, TValue> : IKeyValueStore<TKey, TValue>, IChangeLoggedStore
    where TKey : notnull
{
    public const int DefaultMaxCachedEntries = 200_000;

    private readonly IKeyValueBacking _backing;
    private readonly IStoreSerde<TKey> _keys;
    private readonly IStoreSerde<TValue> _values;
    private readonly int _maxCachedEntries;
    // The cache: each key's slot in _entries.
    private readonly Dictionary<TKey, int> _slots = [];
    private readonly EntrySlots<CacheEntry> _entries = new();

    // Keys changed since the last flush, with their slots, in the order of their first change: a flush visits these, not the whole cache.
    private readonly List<(TKey Key, int Slot)> _dirty = [];

    // True while the cache is the whole state and the backing holds nothing: a key missing from
    // the cache is then absent, with no disk read.
    private bool _cacheHoldsAll;

    public CachedKeyValueStore(string name, IKeyValueBacking backing, IStoreSerde<TKey> keys, IStoreSerde<TValue> values, int maxCachedEntries = DefaultMaxCachedEntries)
    {
        Name = name;
        _backing = backing;
        _keys = keys;
        _values = values;
        _maxCachedEntries = maxCachedEntries;
        _cacheHoldsAll = !backing.All().Any();
    }

    public string Name { get; }

    /// <summary>Exact while the cache holds the whole state (after a flush, when deleted entries are gone from it); RocksDB's estimate otherwise.</summary>
    public long ApproximateCount => _cacheHoldsAll ? _slots.Count : _backing.ApproximateCount;

    public TValue? Get(TKey key) => TryGet(key, out var value) ? value : default;

    public bool TryGet(TKey key, out TValue value)
    {
        if (_slots.TryGetValue(key, out var slot))
        {
            ref var cached = ref _entries[slot];
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
        _slots.Add(key, _entries.Add(new CacheEntry(!found, value, Dirty: false)));
        return found;
    }

    public void Put(TKey key, TValue value) => Change(key, new CacheEntry(false, value, Dirty: true));

    public void Delete(TKey key) => Change(key, new CacheEntry(true, default, Dirty: true));

    private void Change(TKey key, CacheEntry entry)
    {
        ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(_slots, key, out var exists);
        if (!exists)
        {
            slot = _entries.Add(entry);
            _dirty.Add((key, slot));
            return;
        }

        ref var cached = ref _entries[slot];
        if (!cached.Dirty)
        {
            _dirty.Add((key, slot));
        }

        cached = entry;
    }

    public IReadOnlyList<KeyValuePair<TKey, TValue>> All()
    {
        if (_cacheHoldsAll)
        {
            return [.. Cached().Where(e => !e.Value.Deleted).Select(e => KeyValuePair.Create(e.Key, e.Value.Value!))];
        }

        var merged = new Dictionary<TKey, TValue>();
        foreach (var (key, value) in _backing.All())
        {
            merged[_keys.Deserialize(key)] = _values.Deserialize(value);
        }

        foreach (var (key, entry) in Cached().Where(e => e.Value.Dirty))
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

    public void Flush(Action<ChangelogEntry> write)
    {
        // Only a store past its cache keeps the changes, for the disk write.
        var toBacking = _cacheHoldsAll ? null : new List<ChangelogEntry>(_dirty.Count);
        // Entries change only once every change is handed over: a flush that throws leaves the store as it was.
        foreach (var (key, slot) in _dirty)
        {
            var entry = _entries[slot];
            var change = new ChangelogEntry(_keys.Serialize(key), entry.Deleted ? null : _values.Serialize(entry.Value!));
            write(change);
            toBacking?.Add(change);
        }

        if (toBacking is not null)
        {
            _backing.Write(toBacking);
        }

        foreach (var (key, slot) in _dirty)
        {
            ref var entry = ref _entries[slot];
            if (entry.Deleted)
            {
                // Expired entries are rarely read again: do not let them fill the cache.
                Evict(key);
            }
            else
            {
                entry = entry with { Dirty = false };
            }
        }

        _dirty.Clear();
        if (_slots.Count > _maxCachedEntries)
        {
            Spill();
        }
    }

    public void Restore(ChangelogEntry entry)
    {
        var key = _keys.Deserialize(entry.Key);
        if (!_cacheHoldsAll)
        {
            _backing.Write([entry]);
            Evict(key);
        }
        else if (entry.Value is null)
        {
            Evict(key);
        }
        else
        {
            var restored = new CacheEntry(false, _values.Deserialize(entry.Value), Dirty: false);
            ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(_slots, key, out var exists);
            if (exists)
            {
                _entries[slot] = restored;
            }
            else
            {
                slot = _entries.Add(restored);
            }

            if (_slots.Count > _maxCachedEntries)
            {
                Spill();
            }
        }
    }

    /// <summary>Makes room in memory; called when nothing in the cache is unflushed. A cache holding the whole state (no deletions then) first writes its entries out, as the backing has none of them.</summary>
    private void Spill()
    {
        if (_cacheHoldsAll)
        {
            _backing.Write([.. Cached().Select(e => new ChangelogEntry(_keys.Serialize(e.Key), _values.Serialize(e.Value.Value!)))]);
            _cacheHoldsAll = false;
        }

        ClearCache();
    }

    private IEnumerable<KeyValuePair<TKey, CacheEntry>> Cached() => _slots.Select(e => KeyValuePair.Create(e.Key, _entries[e.Value]));

    private void Evict(TKey key)
    {
        if (_slots.Remove(key, out var slot))
        {
            _entries.Free(slot);
        }
    }

    private void ClearCache()
    {
        _slots.Clear();
        _entries.Clear();
    }

    private readonly record struct CacheEntry(bool Deleted, TValue? Value, bool Dirty);

    public void Close()
    {
        ClearCache();
        _dirty.Clear();
        _backing.Dispose();
    }
}
