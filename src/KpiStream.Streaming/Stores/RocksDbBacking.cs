using RocksDbSharp;

namespace KpiStream.Streaming.Stores;

/// <summary>A store's column family in its task's RocksDB database (<see cref="TaskDatabase"/>).</summary>
internal sealed class RocksDbBacking : IKeyValueBacking
{
    private static readonly WriteOptions WithoutWal = new WriteOptions().DisableWal(1);
    private readonly TaskDatabase _database;
    private readonly RocksDb _db;
    private readonly ColumnFamilyHandle _family;

    public RocksDbBacking(TaskDatabase database, string store)
    {
        _database = database;
        (_db, _family) = database.Acquire(store);
    }

    public long ApproximateCount =>
        long.TryParse(_db.GetProperty("rocksdb.estimate-num-keys", _family), out var count) ? count : 0;

    public byte[]? Get(byte[] key) => _db.Get(key, _family);

    public void Write(IReadOnlyList<ChangelogEntry> changes)
    {
        using var batch = new WriteBatch();
        foreach (var change in changes)
        {
            if (change.Value is null)
            {
                batch.Delete(change.Key, _family);
            }
            else
            {
                batch.Put(change.Key, change.Value, _family);
            }
        }

        _db.Write(batch, WithoutWal);
    }

    public IEnumerable<KeyValuePair<byte[], byte[]>> All()
    {
        using var iterator = _db.NewIterator(_family);
        for (iterator.SeekToFirst(); iterator.Valid(); iterator.Next())
        {
            yield return new(iterator.Key(), iterator.Value());
        }
    }

    public void Dispose() => _database.Release();
}
