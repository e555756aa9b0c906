using KpiStream.Streaming.Processors;

namespace KpiStream.Streaming.Stores;

public interface IKeyValueStore<TKey, TValue> : IStateStore
    where TKey : notnull
{
    /// <summary>The value, or default when absent: for value types prefer <see cref="TryGet"/>.</summary>
    TValue? Get(TKey key);

    bool TryGet(TKey key, out TValue value);

    void Put(TKey key, TValue value);

    void Delete(TKey key);

    /// <summary>A snapshot of all entries; safe to modify the store while iterating it.</summary>
    IReadOnlyList<KeyValuePair<TKey, TValue>> All();
}
