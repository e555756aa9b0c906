namespace KpiStream.Streaming.Stores;

/// <summary>A key-value store held in the task's memory; its contents do not survive the process.</summary>
public sealed class InMemoryKeyValueStore<TKey, TValue>(string name) : IKeyValueStore<TKey, TValue>
    where TKey : notnull
{
    private readonly Dictionary<TKey, TValue> _entries = [];

    public string Name { get; } = name;

    public long Count => _entries.Count;

    public TValue? Get(TKey key) => _entries.GetValueOrDefault(key);

    public void Put(TKey key, TValue value) => _entries[key] = value;

    public void Delete(TKey key) => _entries.Remove(key);

    public IReadOnlyList<KeyValuePair<TKey, TValue>> All() => _entries.ToList();

    public void Close() => _entries.Clear();
}
