using System.Diagnostics;
using Confluent.Kafka;
using KpiStream.Core.Events;
using KpiStream.EmbeddedKafka;
using KpiStream.Processor.Conventions;
using KpiStream.Processor.Hosting;
using KpiStream.Serialization.Avro;
using KpiStream.Serialization.Mapping;
using KpiStream.TestSupport;

namespace KpiStream.Benchmarks;

/// <summary>
/// KpiStream fed at a steady rate, as in production, rather than handed a backlog: events are
/// produced when their event time comes due, with event time running <c>speedUp</c> times faster
/// than the wall clock, over more event time than the 1 h deduplication horizon. Resident memory,
/// the managed heap and the store entries are sampled as it runs: once the horizon has passed,
/// state stops growing, and so should memory.
/// </summary>
/// <remarks>
/// The run checks that every input record was consumed and that the input topic lost none, not the
/// output: the backlog runs compare theirs with the oracle.
/// </remarks>
internal static class SteadyFeedRun
{
    private static readonly TimeSpan SampleEvery = TimeSpan.FromSeconds(10);

    public sealed record Sample(TimeSpan Wall, TimeSpan EventTime, long Consumed, double RssMb, double ManagedHeapMb, long StoreEntries);

    public static async Task<IReadOnlyList<Sample>> RunAsync(int partitions, int streamThreads, int sessions, TimeSpan eventTime, double speedUp)
    {
        using var cluster = EmbeddedKafkaCluster.Start(brokerCount: 1, KpiStreamRun.GroupFormationDelay);
        var config = SampleJourneys.WriteToTempFile();
        var options = new RunOptions { ApplicationId = "steady", InputPartitions = partitions, ConfigPath = config };
        foreach (var topic in KpiStreamApp.TopicsFor(options))
        {
            cluster.CreateTopic(topic.Name, topic.Partitions);
        }

        var topics = new TopicNames();
        var start = DateTimeOffset.UtcNow - eventTime - TimeSpan.FromMinutes(10);
        var events = SyntheticTraffic.Generate(seed: 11, sessions, start, eventTime);
        var codec = new AvroCodec<DomainEvent>(new DomainEventMapper(TestSchemas.Set.DomainEvent), TestSchemas.NewRegistry(), topics.DomainEvents);
        var encoded = events.Select(e => (e.SessionId, Value: codec.Encode(e), Due: (e.OccurredAt - start) / speedUp)).ToList();
        Console.WriteLine($"Steady feed: {events.Count} events over {eventTime} of event time at {speedUp}x, about {events.Count / (eventTime.TotalSeconds / speedUp):F0} events/s for {eventTime / speedUp}");

        using var processor = await KpiStreamRun.StartAsync(cluster.BootstrapServers, "steady", config, partitions, streamThreads);
        using var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = cluster.BootstrapServers, EnableIdempotence = true, LingerMs = 20, Partitioner = Partitioner.Murmur2 }).Build();
        var samples = new List<Sample>();
        var clock = Stopwatch.StartNew();
        var next = 0;
        var nextSample = TimeSpan.Zero;
        while (next < encoded.Count)
        {
            for (; next < encoded.Count && encoded[next].Due <= clock.Elapsed; next++)
            {
                producer.Produce(topics.DomainEvents, new Message<string, byte[]> { Key = encoded[next].SessionId, Value = encoded[next].Value });
            }

            if (clock.Elapsed >= nextSample)
            {
                samples.Add(await SampleAsync(processor, clock.Elapsed, clock.Elapsed * speedUp));
                nextSample += SampleEvery;
            }

            await Task.Delay(50);
        }

        producer.Flush(TimeSpan.FromSeconds(30));
        await Polling.UntilAsync(async () => (await SampleAsync(processor, clock.Elapsed, eventTime)).Consumed >= encoded.Count, TimeSpan.FromMinutes(2));
        // Store sizes are sampled at commits: let expiry run at a few more.
        await Task.Delay(2_000);
        samples.Add(await SampleAsync(processor, clock.Elapsed, eventTime));
        // Only the input: a steady feed commits often (whenever the input is drained), so the internal topics
        // carry many small transactions and pass the development broker's limit on batches per partition;
        // their oldest records, long consumed, are dropped. That does not touch what is measured here.
        TopicReader.EnsureNothingDropped(cluster.BootstrapServers, [topics.DomainEvents]);
        processor.Process.Signal(15);
        await processor.Process.WaitForExitAsync(TimeSpan.FromSeconds(60));
        return samples;
    }

    private static async Task<Sample> SampleAsync(KpiStreamRun.Running processor, TimeSpan wall, TimeSpan eventTime)
    {
        var metrics = await processor.Http.GetStringAsync("/metrics");
        return new Sample(
            wall,
            eventTime,
            (long)KpiStreamRun.Sum(metrics, "kpistream_records_consumed_total{topic=\"domain-events\"}"),
            KpiStreamRun.RssMb(processor.Process.Id, "VmRSS:"),
            KpiStreamRun.Sum(metrics, "dotnet_total_memory_bytes ") / (1024 * 1024),
            (long)KpiStreamRun.Sum(metrics, "kpistream_state_store_entries{"));
    }
}
