namespace KpiStream.Streaming.Stores;

public interface IKeyValueStore<TKey, TValue> : IStateStore
    where TKey : notnull
{
    TValue? Get(TKey key);

    void Put(TKey key, TValue value);

    void Delete(TKey key);

    /// <summary>A snapshot of all entries; safe to modify the store while iterating it.</summary>
    IReadOnlyList<KeyValuePair<TKey, TValue>> All();

    long Count { get; }
}
