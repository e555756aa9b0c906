using System.Runtime.InteropServices;

namespace KpiStream.EmbeddedKafka;

/// <summary>
/// An in-process Kafka-protocol cluster (librdkafka's mock cluster) listening on loopback TCP.
/// A development and test broker only: it keeps about 5 MiB per partition, does not hide
/// aborted transactions from read_committed consumers and has no admin API for topics.
/// </summary>
public sealed class EmbeddedKafkaCluster : IDisposable
{
    private const int ProducerType = 0;
    private readonly IntPtr _client;
    private readonly IntPtr _cluster;
    private readonly Lock _gate = new();
    private bool _disposed;

    private EmbeddedKafkaCluster(IntPtr client, IntPtr cluster, int brokerCount)
    {
        _client = client;
        _cluster = cluster;
        BrokerCount = brokerCount;
        BootstrapServers = Marshal.PtrToStringUTF8(LibrdkafkaMock.rd_kafka_mock_cluster_bootstraps(cluster))
            ?? throw new InvalidOperationException("The mock cluster reported no bootstrap servers.");
    }

    /// <summary>
    /// The longest fetch wait (librdkafka's <c>fetch.wait.max.ms</c>) its consumers should ask for.
    /// A fetch that finds nothing is answered when its wait runs out, not when records arrive
    /// (measured: at the client's default of 500 ms, the second stage saw records written
    /// 100-200 ms earlier only then), so a short wait is what keeps latency low here.
    /// </summary>
    public static readonly TimeSpan ConsumerFetchWaitMax = TimeSpan.FromMilliseconds(10);

    public string BootstrapServers { get; }

    public int BrokerCount { get; }

    /// <summary>Starts a cluster of <paramref name="brokerCount"/> brokers.</summary>
    /// <param name="initialRebalanceDelay">The mock's default of 3 s slows every new consumer group down.</param>
    public static EmbeddedKafkaCluster Start(int brokerCount = 1, TimeSpan? initialRebalanceDelay = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(brokerCount, 1);
        LibrdkafkaMock.EnsureResolved();
        var errstr = Marshal.AllocHGlobal(512);
        try
        {
            var conf = LibrdkafkaMock.rd_kafka_conf_new();
            // The handle only hosts the mock cluster; it never connects anywhere.
            LibrdkafkaMock.rd_kafka_conf_set(conf, "log_level", "3", errstr, 512);
            var client = LibrdkafkaMock.rd_kafka_new(ProducerType, conf, errstr, 512);
            if (client == IntPtr.Zero)
            {
                throw new InvalidOperationException($"Could not create the librdkafka handle for the mock cluster: {Marshal.PtrToStringUTF8(errstr)}");
            }

            var cluster = LibrdkafkaMock.rd_kafka_mock_cluster_new(client, brokerCount);
            if (cluster == IntPtr.Zero)
            {
                LibrdkafkaMock.rd_kafka_destroy(client);
                throw new InvalidOperationException("librdkafka refused to create a mock cluster.");
            }

            var started = new EmbeddedKafkaCluster(client, cluster, brokerCount);
            started.SetInitialRebalanceDelay(initialRebalanceDelay ?? TimeSpan.FromMilliseconds(100));
            return started;
        }
        finally
        {
            Marshal.FreeHGlobal(errstr);
        }
    }

    public void CreateTopic(string topic, int partitions, int replicationFactor = 1)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(topic);
        ArgumentOutOfRangeException.ThrowIfLessThan(partitions, 1);
        var err = Invoke(c => LibrdkafkaMock.rd_kafka_mock_topic_create(c, topic, partitions, Math.Min(replicationFactor, BrokerCount)));
        ThrowOnError(err, $"create topic '{topic}'");
    }

    public void SetBrokerDown(int brokerId) =>
        ThrowOnError(Invoke(c => LibrdkafkaMock.rd_kafka_mock_broker_set_down(c, brokerId)), $"set broker {brokerId} down");

    public void SetBrokerUp(int brokerId) =>
        ThrowOnError(Invoke(c => LibrdkafkaMock.rd_kafka_mock_broker_set_up(c, brokerId)), $"set broker {brokerId} up");

    /// <summary>Makes the next <paramref name="errorCodes"/>.Length requests of <paramref name="api"/> fail with these Kafka error codes, in order.</summary>
    public void PushRequestErrors(KafkaApiKey api, params int[] errorCodes) =>
        Invoke(c =>
        {
            LibrdkafkaMock.rd_kafka_mock_push_request_errors_array(c, (short)api, (nuint)errorCodes.Length, errorCodes);
            return 0;
        });

    public void ClearRequestErrors(KafkaApiKey api) =>
        Invoke(c =>
        {
            LibrdkafkaMock.rd_kafka_mock_clear_request_errors(c, (short)api);
            return 0;
        });

    public void SetInitialRebalanceDelay(TimeSpan delay) =>
        Invoke(c =>
        {
            LibrdkafkaMock.rd_kafka_mock_group_initial_rebalance_delay_ms(c, (int)delay.TotalMilliseconds);
            return 0;
        });

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            LibrdkafkaMock.rd_kafka_mock_cluster_destroy(_cluster);
            LibrdkafkaMock.rd_kafka_destroy(_client);
        }
    }

    private int Invoke(Func<IntPtr, int> call)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return call(_cluster);
        }
    }

    private static void ThrowOnError(int err, string action)
    {
        if (err != 0)
        {
            var reason = Marshal.PtrToStringUTF8(LibrdkafkaMock.rd_kafka_err2str(err));
            throw new InvalidOperationException($"Mock cluster could not {action}: {reason} (error {err}).");
        }
    }

    public override string ToString() => $"EmbeddedKafkaCluster({BootstrapServers})";
}
