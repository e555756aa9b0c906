using RocksDbSharp;

namespace KpiStream.Streaming.Stores;

/// <summary>
/// One RocksDB database per task, holding each of the task's stores as a column family. A task
/// has up to a few dozen stores and an instance dozens of tasks; a database each would cost its
/// files, table cache and start-up time every time, and rebuilding after an assignment creates
/// them all afresh. The changelog topics are the durable copy, so RocksDB's write-ahead log is off
/// and buffers and info logs are kept small. Opened with the first store and closed with the last.
/// </summary>
internal sealed class TaskDatabase(string directory)
{
    // All of a task's memtables together: without it each of its stores could hold its own write buffer.
    private const ulong MemtableBudgetBytes = 8 * 1024 * 1024;

    private readonly Lock _lock = new();
    private RocksDb? _db;
    private int _users;

    /// <summary>Opens the database if needed and creates the store's column family.</summary>
    public (RocksDb Db, ColumnFamilyHandle Family) Acquire(string store)
    {
        lock (_lock)
        {
            if (_db is null)
            {
                Directory.CreateDirectory(directory);
                var options = new DbOptions()
                    .SetCreateIfMissing(true)
                    .SetDbWriteBufferSize(MemtableBudgetBytes)
                    .SetKeepLogFileNum(1)
                    .SetMaxLogFileSize(1024 * 1024);
                // Opened with the column family list, which RocksDbSharp needs to create families later.
                _db = RocksDb.Open(options, directory, new ColumnFamilies());
            }

            _users++;
            return (_db, _db.CreateColumnFamily(new ColumnFamilyOptions().SetWriteBufferSize(4 * 1024 * 1024), store));
        }
    }

    public void Release()
    {
        lock (_lock)
        {
            if (--_users == 0)
            {
                _db?.Dispose();
                _db = null;
            }
        }
    }
}
