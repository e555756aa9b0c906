namespace KpiStream.Streaming.Stores;

/// <summary>Byte-level storage under a key-value store: RocksDB on disk, or memory.</summary>
internal interface IKeyValueBacking : IDisposable
{
    byte[]? Get(byte[] key);

    void Write(IReadOnlyList<ChangelogEntry> changes);

    IEnumerable<KeyValuePair<byte[], byte[]>> All();

    long ApproximateCount { get; }
}
