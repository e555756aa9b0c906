using System.Runtime.InteropServices;
using Confluent.Kafka;
using KpiStream.Streaming.Stores;
using KpiStream.Streaming.Topologies;
using Microsoft.Extensions.Logging;

namespace KpiStream.Streaming.Runtime;

/// <summary>
/// A stream thread's output, as Kafka Streams' record collector: the transactional producer that
/// every task's sinks and changelogs write through, its transaction, its delivery reports and the
/// back-pressure its queue puts on the thread's input. Single-threaded: only the stream thread
/// calls it, and only that thread serves the producer's delivery reports.
/// </summary>
internal sealed class RecordCollector : IRecordOutput, IDisposable
{
    private static readonly TimeSpan TransactionTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan MetadataTimeout = TimeSpan.FromSeconds(10);

    private readonly StreamsOptions _options;
    private readonly string _clientId;
    private readonly IRuntimeObserver _observer;
    private readonly ILogger _logger;
    private readonly Dictionary<string, int> _partitionCounts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _producedInTransaction = new(StringComparer.Ordinal);

    // One delegate for every produced record: a method group would allocate a new one per call.
    private readonly Action<DeliveryReport<byte[]?, byte[]?>> _onDelivered;
    private IProducer<byte[]?, byte[]?>? _producer;
    private Exception? _deliveryError;
    private bool _inTransaction;
    private bool _unflushed;

    public RecordCollector(StreamsOptions options, string clientId, IRuntimeObserver observer, TimeProvider clock, ILogger logger)
    {
        _options = options;
        _clientId = clientId;
        _observer = observer;
        _logger = logger;
        _onDelivered = OnDelivered;
        BackPressure = new InputBackPressure(clock);
    }

    public InputBackPressure BackPressure { get; }

    public bool InTransaction => _inTransaction;

    /// <summary>Creates the producer and reads the partition counts of <paramref name="broadcastTopics"/>, before any record is processed.</summary>
    public void Start(IReadOnlyList<string> broadcastTopics)
    {
        _producer = NewTransactionalProducer();
        if (broadcastTopics.Count == 0)
        {
            return;
        }

        using var admin = new DependentAdminClientBuilder(_producer.Handle).Build();
        foreach (var topic in broadcastTopics)
        {
            var metadata = admin.GetMetadata(topic, MetadataTimeout).Topics.Single();
            _partitionCounts[topic] = metadata.Error.Code == ErrorCode.NoError && metadata.Partitions.Count > 0
                ? metadata.Partitions.Count
                : throw new KafkaException(metadata.Error);
        }
    }

    public void Send(OutgoingRecord record)
    {
        CollectionsMarshal.GetValueRefOrAddDefault(_producedInTransaction, record.Topic, out _)++;
        var message = new Message<byte[]?, byte[]?>
        {
            Key = record.Key,
            Value = record.Value,
            Timestamp = new Timestamp(record.Timestamp),
            Headers = ToKafkaHeaders(record),
        };
        Produce(record.Topic, record.Partition is { } partition ? new TopicPartition(record.Topic, partition) : null, message);
    }

    public int PartitionCount(string topic) =>
        _partitionCounts.TryGetValue(topic, out var count)
            ? count
            : throw new InvalidOperationException($"Topic '{topic}' is not a broadcast topic of the topology: its partitions were not read at start.");

    /// <summary>Writes the store's entries changed since its last flush to its changelog partition.</summary>
    public void SendChangelog(TopicPartition changelog, IChangeLoggedStore store, DateTimeOffset now)
    {
        // A commit writes tens of thousands of changelog records: one timestamp for all of them.
        var timestamp = new Timestamp(now);
        var written = 0;
        store.Flush(entry =>
        {
            Produce(changelog.Topic, changelog, new Message<byte[]?, byte[]?> { Key = entry.Key, Value = entry.Value, Timestamp = timestamp });
            written++;
        });
        if (written > 0)
        {
            CollectionsMarshal.GetValueRefOrAddDefault(_producedInTransaction, changelog.Topic, out _) += written;
        }
    }

    public void BeginTransactionIfNone()
    {
        if (!_inTransaction)
        {
            _producer!.BeginTransaction();
            _inTransaction = true;
        }
    }

    /// <summary>Waits until everything sent is acknowledged; a no-op when nothing was sent since the last flush (most stores change rarely). Throws the first failed delivery.</summary>
    public void Flush()
    {
        if (_unflushed)
        {
            _producer!.Flush(Timeout.InfiniteTimeSpan);
            _unflushed = false;
            BackPressure.Flushed();
        }

        if (_deliveryError is { } error)
        {
            _deliveryError = null;
            throw error;
        }
    }

    /// <summary>Commits the transaction with the consumer's <paramref name="offsets"/>, and reports what it wrote.</summary>
    public void CommitTransaction(IReadOnlyList<TopicPartitionOffset> offsets, IConsumerGroupMetadata group)
    {
        if (offsets.Count > 0)
        {
            _producer!.SendOffsetsToTransaction(offsets, group, TransactionTimeout);
        }

        _producer!.CommitTransaction(TransactionTimeout);
        _inTransaction = false;
        foreach (var (topic, records) in _producedInTransaction)
        {
            _observer.RecordsProduced(topic, records);
        }

        _producedInTransaction.Clear();
    }

    /// <summary>Aborts the open transaction; when that fails or <paramref name="cause"/> is fatal (fenced), replaces the producer, as only a new epoch can write again.</summary>
    public void AbortOrReplace(KafkaException cause)
    {
        _deliveryError = null;
        _inTransaction = false;
        _unflushed = false;
        _producedInTransaction.Clear();
        if (!cause.Error.IsFatal)
        {
            try
            {
                _producer!.AbortTransaction(TransactionTimeout);
                return;
            }
            catch (KafkaException e)
            {
                _logger.LogWarning(e, "Abort failed; replacing the transactional producer");
            }
        }

        _producer!.Dispose();
        _producer = NewTransactionalProducer();
        BackPressure.ProducerReplaced();
    }

    /// <summary>Serves delivery reports for up to <paramref name="timeout"/>, while input is paused.</summary>
    public void ServeDeliveries(TimeSpan timeout) => _producer!.Poll(timeout);

    public void Dispose() => _producer?.Dispose();

    /// <param name="partition">Null lets the producer's partitioner choose.</param>
    private void Produce(string topic, TopicPartition? partition, Message<byte[]?, byte[]?> message)
    {
        BeginTransactionIfNone();
        _unflushed = true;
        while (true)
        {
            try
            {
                if (partition is not null)
                {
                    _producer!.Produce(partition, message, _onDelivered);
                }
                else
                {
                    _producer!.Produce(topic, message, _onDelivered);
                }

                BackPressure.Sent();
                return;
            }
            catch (ProduceException<byte[]?, byte[]?> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
            {
                // The record's outputs are produced whole: serve delivery reports until the queue has room, and pause input after it.
                BackPressure.QueueFull();
                _producer!.Poll(TimeSpan.FromMilliseconds(50));
            }
        }
    }

    /// <summary>The next flush throws the first failure, so nothing is sent after a failed write within a commit.</summary>
    private void OnDelivered(DeliveryReport<byte[]?, byte[]?> report)
    {
        BackPressure.Acknowledged();
        if (report.Error.IsError)
        {
            _deliveryError ??= new KafkaException(report.Error);
        }
    }

    private static Headers? ToKafkaHeaders(OutgoingRecord record)
    {
        if (record.Headers.IsDefaultOrEmpty)
        {
            return null;
        }

        var headers = new Headers();
        foreach (var header in record.Headers)
        {
            headers.Add(header.Key, header.Value);
        }

        return headers;
    }

    private IProducer<byte[]?, byte[]?> NewTransactionalProducer()
    {
        var producer = new ProducerBuilder<byte[]?, byte[]?>(new ProducerConfig(_options.ClientConfig.ToDictionary())
        {
            BootstrapServers = _options.BootstrapServers,
            EnableIdempotence = true,
            TransactionalId = $"{_options.ApplicationId}-{Guid.NewGuid():N}",
            TransactionTimeoutMs = (int)TransactionTimeout.TotalMilliseconds,
            LingerMs = 5,
            // Delivery reports are served by Flush on this thread. With Confluent's background poll thread taking them,
            // Flush only noticed an empty queue at its 10 ms wake-ups: a commit flushes once per store, and waited ~10 ms each.
            EnableBackgroundPoll = false,
            // Delivery reports carry only the outcome: copying each record back cost more than producing it.
            DeliveryReportFields = "none",
            ClientId = $"{_clientId}-producer",
        }).Build();
        producer.InitTransactions(TransactionTimeout);
        return producer;
    }
}
