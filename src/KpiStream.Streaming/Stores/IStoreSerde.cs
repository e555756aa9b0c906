namespace KpiStream.Streaming.Stores;

/// <summary>How a store turns its keys or values into bytes for disk and changelog.</summary>
public interface IStoreSerde<T>
{
    byte[] Serialize(T value);

    T Deserialize(byte[] bytes);
}
