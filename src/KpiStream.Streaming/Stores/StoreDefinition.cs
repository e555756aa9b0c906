using KpiStream.Streaming.Processors;

namespace KpiStream.Streaming.Stores;

/// <summary>How to create a named, change-logged key-value store for each task that needs it.</summary>
public sealed record StoreDefinition(string Name, Func<StoreContext, IStateStore> Create)
{
    /// <summary>
    /// A column family of the task's RocksDB database in <c>{state directory}/{task}</c> when the runtime has a state directory,
    /// memory otherwise (the test driver); changelogged and restored the same way in both cases.
    /// </summary>
    public static StoreDefinition KeyValue<TKey, TValue>(string name, IStoreSerde<TKey> keys, IStoreSerde<TValue> values)
        where TKey : notnull =>
        new(name, context =>
        {
            IKeyValueBacking backing = context.StateDirectory is null
                ? new MemoryBacking()
                : new RocksDbBacking(context.Database, name);
            return new CachedKeyValueStore<TKey, TValue>(name, backing, keys, values);
        });
}
