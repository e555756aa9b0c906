using System.Text;
using Confluent.Kafka;
using KpiStream.IntegrationTests.Support;
using KpiStream.Processor.Conventions;
using KpiStream.TestSupport;

namespace KpiStream.IntegrationTests;

/// <summary>
/// A producer whose queue holds four records, and a burst of malformed input: each bad record is
/// written to the dead-letter topic while it is processed, so the queue fills mid-batch. The stream
/// thread must pause its input until the queue drains, and lose nothing while it does.
/// </summary>
[Collection(HeavyProcesses.Name)]
public class BackPressureTests
{
    private const int MalformedRecords = 300;

    [Fact]
    public async Task A_producer_queue_too_small_for_a_burst_of_dead_letters_pauses_input_and_loses_nothing()
    {
        using var run = new ProofRun(sessions: 3_000, seed: 5);
        var topics = new TopicNames();
        ProduceMalformed(run.Cluster.BootstrapServers, topics.DomainEvents);
        run.ProduceInput();
        var port = Polling.FreePort();
        run.StartProcessor(metricsPort: port, clientSettings: "queue.buffering.max.messages=4");

        run.AssertTheOracle(await run.WaitForOutputAsync());
        var deadLetters = TopicReader.ReadAll(run.Cluster.BootstrapServers, topics.DeadLetter);
        Assert.Equal(
            Enumerable.Range(0, MalformedRecords).Select(Malformed).Order(StringComparer.Ordinal),
            deadLetters.Select(r => Encoding.UTF8.GetString(r.Message.Value!)).Order(StringComparer.Ordinal));
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        var metrics = await http.GetStringAsync("/metrics");
        Assert.True(PrometheusText.Samples(metrics, MetricNames.InputPauses + " ").Single() > 0, "the stream thread never paused its input");
        Assert.True(PrometheusText.Samples(metrics, MetricNames.InputPausedTime + " ").Single() > 0);
    }

    private static string Malformed(int index) => $"not an Avro record {index}";

    private static void ProduceMalformed(string bootstrapServers, string topic)
    {
        using var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = bootstrapServers, EnableIdempotence = true }).Build();
        for (var i = 0; i < MalformedRecords; i++)
        {
            // One session key: one partition, so the whole burst comes in the same few batches.
            producer.Produce(topic, new Message<string, byte[]> { Key = "malformed", Value = Encoding.UTF8.GetBytes(Malformed(i)) });
        }

        producer.Flush(TimeSpan.FromSeconds(30));
    }
}
