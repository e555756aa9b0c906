using System.Reflection;
using System.Runtime.InteropServices;

namespace KpiStream.EmbeddedKafka;

/// <summary>
/// P/Invoke surface of librdkafka's mock cluster API. The symbols must resolve to the copy of
/// librdkafka that Confluent.Kafka already loaded: a second copy would have its own globals.
/// </summary>
internal static partial class LibrdkafkaMock
{
    private const string Library = "librdkafka";
    private static readonly Lazy<IntPtr> LoadedHandle = new(ResolveLoadedLibrdkafka);

    static LibrdkafkaMock()
    {
        NativeLibrary.SetDllImportResolver(typeof(LibrdkafkaMock).Assembly, Resolve);
    }

    public static void EnsureResolved() => _ = LoadedHandle.Value;

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? path) =>
        name == Library ? LoadedHandle.Value : IntPtr.Zero;

    private static IntPtr ResolveLoadedLibrdkafka()
    {
        // Forces Confluent.Kafka to pick and load its platform variant of librdkafka.
        _ = Confluent.Kafka.Library.Version;
        var loaded = File.ReadLines("/proc/self/maps")
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(fields => fields.Length >= 6 && fields[5].Contains("librdkafka", StringComparison.Ordinal))
            .Select(fields => fields[5])
            .FirstOrDefault()
            ?? throw new InvalidOperationException("librdkafka is not loaded in this process; Confluent.Kafka failed to initialise it.");
        // dlopen of an already mapped path returns the existing handle instead of a second copy.
        return NativeLibrary.Load(loaded);
    }

    [LibraryImport(Library)]
    internal static partial IntPtr rd_kafka_conf_new();

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int rd_kafka_conf_set(IntPtr conf, string name, string value, IntPtr errstr, nuint errstrSize);

    [LibraryImport(Library)]
    internal static partial IntPtr rd_kafka_new(int type, IntPtr conf, IntPtr errstr, nuint errstrSize);

    [LibraryImport(Library)]
    internal static partial void rd_kafka_destroy(IntPtr rk);

    [LibraryImport(Library)]
    internal static partial IntPtr rd_kafka_mock_cluster_new(IntPtr rk, int brokerCount);

    [LibraryImport(Library)]
    internal static partial void rd_kafka_mock_cluster_destroy(IntPtr cluster);

    [LibraryImport(Library)]
    internal static partial IntPtr rd_kafka_mock_cluster_bootstraps(IntPtr cluster);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int rd_kafka_mock_topic_create(IntPtr cluster, string topic, int partitions, int replicationFactor);

    [LibraryImport(Library)]
    internal static partial int rd_kafka_mock_broker_set_down(IntPtr cluster, int brokerId);

    [LibraryImport(Library)]
    internal static partial int rd_kafka_mock_broker_set_up(IntPtr cluster, int brokerId);

    [LibraryImport(Library)]
    internal static partial void rd_kafka_mock_push_request_errors_array(IntPtr cluster, short apiKey, nuint count, int[] errors);

    [LibraryImport(Library)]
    internal static partial void rd_kafka_mock_clear_request_errors(IntPtr cluster, short apiKey);

    [LibraryImport(Library)]
    internal static partial void rd_kafka_mock_group_initial_rebalance_delay_ms(IntPtr cluster, int delayMs);

    [LibraryImport(Library)]
    internal static partial IntPtr rd_kafka_err2str(int err);
}
