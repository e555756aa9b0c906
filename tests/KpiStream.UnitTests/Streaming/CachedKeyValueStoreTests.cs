using System.Text;
using KpiStream.Streaming.Processors;
using KpiStream.Streaming.Stores;

namespace KpiStream.UnitTests.Streaming;

/// <summary>The store the runtime gives processors, on a real RocksDB database in a temporary directory.</summary>
public sealed class CachedKeyValueStoreTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"kpistream-store-test-{Guid.NewGuid():N}");
    private readonly List<IStateStore> _opened = [];

    [Fact]
    public void A_flush_hands_over_each_changed_key_once_in_the_order_of_its_first_change_with_deletions_as_null()
    {
        var store = Open(new TaskId(0, 0));
        store.Put("b", 1);
        store.Put("a", 2);
        store.Put("b", 3);
        store.Put("c", 4);
        store.Delete("c");

        var changes = Flush(store);

        Assert.Equal(["b=3", "a=2", "c=null"], changes.Select(Text));
        Assert.Empty(Flush(store));
        Assert.Equal((true, 3L), (store.TryGet("b", out var b), b));
        Assert.False(store.TryGet("c", out _));
    }

    [Fact]
    public void Slots_freed_by_expired_keys_are_reused_without_mixing_up_entries_over_many_commits()
    {
        var store = Open(new TaskId(0, 1));
        var model = new Dictionary<string, long>();
        var random = new Random(7);
        for (var commit = 0; commit < 200; commit++)
        {
            for (var change = 0; change < 20; change++)
            {
                var key = $"k{random.Next(60)}";
                if (random.Next(3) == 0)
                {
                    store.Delete(key);
                    model.Remove(key);
                }
                else
                {
                    store.Put(key, commit * 100 + change);
                    model[key] = commit * 100 + change;
                }
            }

            var flushed = Flush(store).Select(Text).ToList();
            Assert.Equal(flushed.Count, flushed.Distinct().Count());
            Assert.Equal(model.OrderBy(e => e.Key), store.All().OrderBy(e => e.Key));
            Assert.All(Enumerable.Range(0, 60).Select(i => $"k{i}"), key =>
                Assert.Equal(model.TryGetValue(key, out var expected) ? (true, expected) : (false, 0L), (store.TryGet(key, out var value), value)));
        }
    }

    [Fact]
    public void While_the_state_fits_in_memory_nothing_is_written_to_disk_and_the_first_flush_past_the_limit_writes_every_live_entry()
    {
        var (store, disk) = OpenWithLimit(new TaskId(0, 3), maxCachedEntries: 2);
        store.Put("a", 1);
        store.Put("b", 2);
        store.Put("gone", 9);
        store.Delete("gone");
        Flush(store);

        Assert.Empty(disk.All());
        Assert.Equal(2, ((IChangeLoggedStore)store).ApproximateCount);
        Assert.Equal(["a=1", "b=2"], store.All().Select(kv => $"{kv.Key}={kv.Value}").Order());

        store.Put("c", 3);
        Assert.Equal(["c=3"], Flush(store).Select(Text));

        Assert.Equal(["a", "b", "c"], disk.All().Select(kv => Encoding.UTF8.GetString(kv.Key)));
        store.Delete("b");
        Flush(store);
        Assert.Equal(["a", "c"], disk.All().Select(kv => Encoding.UTF8.GetString(kv.Key)));
        Assert.Equal((true, 1L), (store.TryGet("a", out var a), a));
        Assert.False(store.TryGet("b", out _));
        Assert.Equal(["a=1", "c=3"], store.All().Select(kv => $"{kv.Key}={kv.Value}"));
    }

    [Fact]
    public void A_restore_larger_than_memory_goes_to_disk_and_reads_back()
    {
        var changelog = new[] { ("x", 1L), ("y", 2L), ("z", 3L) }.Select(e => new ChangelogEntry(Encoding.UTF8.GetBytes(e.Item1), BitConverter.GetBytes(e.Item2))).ToList();
        changelog.Add(new ChangelogEntry(Encoding.UTF8.GetBytes("y"), null));
        var (store, disk) = OpenWithLimit(new TaskId(0, 4), maxCachedEntries: 2);

        foreach (var entry in changelog)
        {
            ((IChangeLoggedStore)store).Restore(entry);
        }

        Assert.Equal(["x", "z"], disk.All().Select(kv => Encoding.UTF8.GetString(kv.Key)));
        Assert.Equal(["x=1", "z=3"], store.All().Select(kv => $"{kv.Key}={kv.Value}"));
        Assert.Equal((true, 3L), (store.TryGet("z", out var z), z));
    }

    [Fact]
    public void A_store_restored_from_its_changelog_reads_what_it_held()
    {
        var first = Open(new TaskId(0, 1));
        first.Put("kept", 7);
        first.Put("gone", 8);
        var changelog = Flush(first);
        first.Delete("gone");
        changelog.AddRange(Flush(first));

        var restored = Open(new TaskId(0, 2));
        foreach (var entry in changelog)
        {
            ((IChangeLoggedStore)restored).Restore(entry);
        }

        Assert.Equal((true, 7L), (restored.TryGet("kept", out var kept), kept));
        Assert.False(restored.TryGet("gone", out _));
        Assert.Equal(["kept=7"], restored.All().Select(kv => $"{kv.Key}={kv.Value}"));
    }

    public void Dispose()
    {
        foreach (var store in _opened)
        {
            store.Close();
        }

        Directory.Delete(_directory, recursive: true);
    }

    private IKeyValueStore<string, long> Open(TaskId task)
    {
        var store = StoreDefinition.KeyValue("numbers", Utf8KeySerde.Instance, new Int64Serde()).Create(new StoreContext(task, _directory));
        _opened.Add(store);
        return (IKeyValueStore<string, long>)store;
    }

    private (IKeyValueStore<string, long> Store, IKeyValueBacking Disk) OpenWithLimit(TaskId task, int maxCachedEntries)
    {
        var disk = new RocksDbBacking(new StoreContext(task, _directory).Database, "numbers");
        var store = new CachedKeyValueStore<string, long>("numbers", disk, Utf8KeySerde.Instance, new Int64Serde(), maxCachedEntries);
        _opened.Add(store);
        return (store, disk);
    }

    private static List<ChangelogEntry> Flush(IStateStore store)
    {
        var changes = new List<ChangelogEntry>();
        ((IChangeLoggedStore)store).Flush(changes.Add);
        return changes;
    }

    private static string Text(ChangelogEntry entry) =>
        $"{Encoding.UTF8.GetString(entry.Key)}={(entry.Value is null ? "null" : BitConverter.ToInt64(entry.Value).ToString(System.Globalization.CultureInfo.InvariantCulture))}";

    private sealed class Int64Serde : IStoreSerde<long>
    {
        public byte[] Serialize(long value) => BitConverter.GetBytes(value);

        public long Deserialize(byte[] bytes) => BitConverter.ToInt64(bytes);
    }
}
