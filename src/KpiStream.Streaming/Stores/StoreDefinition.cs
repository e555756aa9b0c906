namespace KpiStream.Streaming.Stores;

/// <summary>How to create a named store for each task that needs it.</summary>
public sealed record StoreDefinition(string Name, Func<IStateStore> Create)
{
    public static StoreDefinition InMemoryKeyValue<TKey, TValue>(string name)
        where TKey : notnull =>
        new(name, () => new InMemoryKeyValueStore<TKey, TValue>(name));
}
