using RocksDbSharp;

namespace KpiStream.Streaming.Stores;

/// <summary>
/// A RocksDB database in its own directory, one per store and task. The changelog topic is the
/// durable copy and the directory is rebuilt from it on assignment, so RocksDB's own write-ahead
/// log would only cost disk: it is off, and buffers and info logs are kept small.
/// </summary>
internal sealed class RocksDbBacking : IKeyValueBacking
{
    private static readonly WriteOptions WithoutWal = new WriteOptions().DisableWal(1);
    private readonly RocksDb _db;

    public RocksDbBacking(string directory)
    {
        Directory.CreateDirectory(directory);
        var options = new DbOptions()
            .SetCreateIfMissing(true)
            .SetWriteBufferSize(4 * 1024 * 1024)
            .SetKeepLogFileNum(1)
            .SetMaxLogFileSize(1024 * 1024);
        _db = RocksDb.Open(options, directory);
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

        _db.Write(batch, WithoutWal);
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
