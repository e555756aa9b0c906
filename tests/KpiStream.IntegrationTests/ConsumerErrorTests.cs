using System.Collections.Concurrent;
using System.Text;
using Confluent.Kafka;
using KpiStream.EmbeddedKafka;
using KpiStream.Streaming.Runtime;
using KpiStream.Streaming.Topology;
using KpiStream.TestSupport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace KpiStream.IntegrationTests;

/// <summary>
/// A broker error that passes must not stop a stream thread. A consumer error that librdkafka
/// recovers from by itself: a broker outage produced one ("Unknown partition") only now and then; a
/// source topic that does not exist yet produces one every time ("Unknown topic or partition"), and
/// creating it is the recovery. And a failed query for a changelog's end as a task opens.
/// </summary>
public sealed class ConsumerErrorTests : IDisposable
{
    private const string ApplicationId = "consumer-errors";
    private const string Input = "late-input";
    private const string Output = "copied";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private const int UnknownServerError = -1;
    private const string RetryWarning = "A changelog's end offset could not be read";
    private readonly EmbeddedKafkaCluster _cluster = EmbeddedKafkaCluster.Start(initialRebalanceDelay: TimeSpan.FromMilliseconds(100));
    private readonly string _stateDirectory = Directory.CreateTempSubdirectory("kpistream-consumer-errors-").FullName;

    [Fact]
    public async Task A_source_topic_that_appears_late_is_reported_as_a_consumer_error_and_its_records_are_then_processed()
    {
        var topology = CopyTopology();
        var observer = new RecordingObserver();
        // The consumer looks for the missing topic again at each metadata refresh.
        var options = Options() with { ClientConfig = new Dictionary<string, string> { ["topic.metadata.refresh.interval.ms"] = "500" } };
        using var runtime = new StreamsRuntime(topology, options, observer, TimeProvider.System, NullLogger<StreamsRuntime>.Instance);
        using var stopping = new CancellationTokenSource();
        var running = runtime.RunAsync(stopping.Token);

        await Polling.UntilAsync(
            () =>
            {
                Assert.NotEqual(StreamsState.Failed, runtime.State);
                return Task.FromResult(observer.ConsumerErrors.Contains(nameof(ErrorCode.UnknownTopicOrPart)));
            },
            Timeout);
        _cluster.CreateTopic(Input, 1);
        ProduceInput("a", "b", "c");

        var copied = await TopicReader.WaitUntilAsync(_cluster.BootstrapServers, Output, records => records.Count >= 3, Timeout, "the 3 input records");
        Assert.Equal(["a", "b", "c"], copied.Select(r => Encoding.UTF8.GetString(r.Message.Value!)));
        Assert.Equal(StreamsState.Running, runtime.State);
        await stopping.CancelAsync();
        await running;
    }

    [Fact]
    public async Task A_changelog_end_the_broker_will_not_tell_at_assignment_is_asked_for_again_and_the_task_then_runs()
    {
        var topology = CopyTopology();
        _cluster.CreateTopic(Input, 1);
        ProduceInput("a", "b", "c");

        // The restore of the new task asks for its changelog's end first: these answer it.
        _cluster.PushRequestErrors(KafkaApiKey.ListOffsets, UnknownServerError, UnknownServerError, UnknownServerError);
        var observer = new RecordingObserver();
        var logger = new WarningsLogger();
        using var runtime = new StreamsRuntime(topology, Options(), observer, TimeProvider.System, logger);
        using var stopping = new CancellationTokenSource();
        var running = runtime.RunAsync(stopping.Token);

        // Nothing else may ask the broker for offsets before the restore has: the pushed errors would answer it instead.
        await Polling.UntilAsync(() => Task.FromResult(runtime.State is StreamsState.Failed or StreamsState.Running), Timeout);
        Assert.Equal(StreamsState.Running, runtime.State);
        var copied = await TopicReader.WaitUntilAsync(_cluster.BootstrapServers, Output, records => records.Count >= 3, Timeout, "the 3 input records");
        Assert.Equal(["a", "b", "c"], copied.Select(r => Encoding.UTF8.GetString(r.Message.Value!)));
        Assert.Contains(logger.Warnings, w => w.StartsWith($"{RetryWarning} (attempt 1)", StringComparison.Ordinal));
        await stopping.CancelAsync();
        await running;
    }

    private StreamsOptions Options() =>
        new() { ApplicationId = ApplicationId, BootstrapServers = _cluster.BootstrapServers, StateDirectory = _stateDirectory };

    /// <summary>Input copied to output, with its changelog topics (the checkpoint store's) and output topic created.</summary>
    private Topology CopyTopology()
    {
        var topology = new TopologyBuilder()
            .AddSource("source", Input)
            .AddSink<byte[]?, byte[]?>("sink", Output, key => key, value => value, "source")
            .Build();
        foreach (var changelog in topology.ChangelogTopics(ApplicationId, _ => 1))
        {
            _cluster.CreateTopic(changelog.Name, changelog.Partitions);
        }

        _cluster.CreateTopic(Output, 1);
        return topology;
    }

    private void ProduceInput(params string[] values)
    {
        using var producer = new ProducerBuilder<byte[]?, byte[]?>(new ProducerConfig { BootstrapServers = _cluster.BootstrapServers }).Build();
        foreach (var value in values)
        {
            producer.Produce(Input, new Message<byte[]?, byte[]?> { Key = Encoding.UTF8.GetBytes(value), Value = Encoding.UTF8.GetBytes(value) });
        }

        producer.Flush(Timeout);
    }

    public void Dispose()
    {
        _cluster.Dispose();
        Directory.Delete(_stateDirectory, recursive: true);
    }

    /// <summary>Keeps the runtime's warnings, formatted; drops the rest.</summary>
    private sealed class WarningsLogger : ILogger<StreamsRuntime>
    {
        public ConcurrentQueue<string> Warnings { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel == LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                Warnings.Enqueue(formatter(state, exception));
            }
        }
    }

    /// <summary>Keeps the consumer errors the runtime reports; ignores the rest.</summary>
    private sealed class RecordingObserver : IRuntimeObserver
    {
        public ConcurrentBag<string> ConsumerErrors { get; } = [];

        public void ConsumerError(string code) => ConsumerErrors.Add(code);

        public void RecordsConsumed(string topic, int records)
        {
        }

        public void RecordsProduced(string topic, int records)
        {
        }

        public void BatchProcessed(int records, TimeSpan elapsed)
        {
        }

        public void Committed(TimeSpan elapsed)
        {
        }

        public void Aborted(string reason)
        {
        }

        public void Rebalanced(int taskChange)
        {
        }

        public void Restored(string store, int partition, long records, TimeSpan elapsed)
        {
        }

        public void StoreSize(string store, int partition, long entries)
        {
        }

        public void Lag(string topic, int partition, long lag)
        {
        }

        public void InputPaused(TimeSpan duration)
        {
        }
    }
}
