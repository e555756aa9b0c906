using RocksDbSharp;

namespace KpiStream.Streaming.Stores;

/// <summary>A RocksDB database in its own directory, one per store and task.</summary>
internal sealed class RocksDbBacking : IKeyValueBacking
{
    private readonly RocksDb _db;

    public RocksDbBacking(string directory)
    {
        Directory.CreateDirectory(directory);
        _db = RocksDb.Open(new DbOptions().SetCreateIfMissing(true), directory);
    }

    public long ApproximateCount =>
        long.TryParse(_db.GetProperty("rocksdb.estimate-num-keys"), out var count) ? count : 0;

    public byte[]? Get(byte[] key) => _db.Get(key);

    public void Write(IReadOnlyList<ChangelogEntry> changes)
    {
        using var batch = new WriteBatch();
        foreach (var change in changes)
        {
            if (change.Value is null)
            {
                batch.Delete(change.Key);
            }
            else
            {
                batch.Put(change.Key, change.Value);
            }
        }

        _db.Write(batch);
    }

    public IEnumerable<KeyValuePair<byte[], byte[]>> All()
    {
        using var iterator = _db.NewIterator();
        for (iterator.SeekToFirst(); iterator.Valid(); iterator.Next())
        {
            yield return new(iterator.Key(), iterator.Value());
        }
    }

    public void Dispose() => _db.Dispose();
}
