using Avro.Generic;
using Confluent.Kafka;
using Confluent.Kafka.SyncOverAsync;
using Confluent.SchemaRegistry;
using Confluent.SchemaRegistry.Serdes;
using KpiStream.Core.Events;
using KpiStream.Serialization.Mapping;
using KpiStream.TestSupport;

namespace KpiStream.IntegrationTests.Support;

/// <summary>Producing and reading topics as a Confluent user does: Confluent.Kafka with Confluent's Avro serializer and deserializer, no KpiStream code on the wire.</summary>
public static class ConfluentSerdes
{
    /// <summary>Produces <paramref name="events"/> to partition 0 of <paramref name="topic"/>, keyed by session, written by Confluent's AvroSerializer.</summary>
    public static async Task ProduceAsync(string bootstrap, ISchemaRegistryClient registry, string topic, IEnumerable<DomainEvent> events)
    {
        var mapper = new DomainEventMapper(TestSchemas.Set.DomainEvent);
        using var producer = new ProducerBuilder<string, GenericRecord>(new ProducerConfig { BootstrapServers = bootstrap, EnableIdempotence = true })
            .SetValueSerializer(new AvroSerializer<GenericRecord>(registry)).Build();
        foreach (var e in events)
        {
            await producer.ProduceAsync(new TopicPartition(topic, 0), new Message<string, GenericRecord> { Key = e.SessionId, Value = mapper.ToRecord(e) });
        }
    }

    /// <summary>Every record of <paramref name="topic"/> read_committed, partition by partition, as Confluent's AvroDeserializer gives it.</summary>
    public static List<KeyValuePair<string, GenericRecord>> ReadAll(string bootstrap, ISchemaRegistryClient registry, string topic)
    {
        using var consumer = new ConsumerBuilder<string, GenericRecord>(new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = $"confluent-reader-{Guid.NewGuid():N}",
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
            IsolationLevel = IsolationLevel.ReadCommitted,
            EnablePartitionEof = true,
        }).SetValueDeserializer(new AvroDeserializer<GenericRecord>(registry).AsSyncOverAsync()).Build();
        using var admin = new DependentAdminClientBuilder(consumer.Handle).Build();
        var partitions = admin.GetMetadata(topic, TimeSpan.FromSeconds(10)).Topics.Single().Partitions.Count;
        consumer.Subscribe(topic);
        var records = new List<KeyValuePair<string, GenericRecord>>();
        for (var atEnd = 0; atEnd < partitions;)
        {
            var result = consumer.Consume(TimeSpan.FromSeconds(10)) ?? throw new TimeoutException($"no record and no end of {topic} within 10 s");
            if (result.IsPartitionEOF)
            {
                atEnd++;
                continue;
            }

            records.Add(new(result.Message.Key, result.Message.Value));
        }

        return records;
    }

    /// <summary>
    /// Minute 0 of checkout in eu-west on the web from <paramref name="t0"/>: six sessions start and fail, a seventh completes
    /// (42.00 EUR). Its minute window: 7 attempts, 1 success, 6 failures, 7 sessions, 1 converted; a page of burn rate (6/7)/0.01.
    /// </summary>
    public static IEnumerable<DomainEvent> SixFailuresAndOneSale(DateTimeOffset t0) =>
        Enumerable.Range(1, 6).SelectMany(i => new[]
            {
                Events.Of($"start-{i}", "checkout_started", "checkout", $"s{i}", t0.AddSeconds(i)),
                Events.Of($"fail-{i}", "checkout_failed", "checkout", $"s{i}", t0.AddSeconds(20 + i)),
            })
            .Append(Events.Of("start-7", "checkout_started", "checkout", "s7", t0.AddSeconds(30)))
            .Append(Events.Of("done-7", "checkout_completed", "checkout", "s7", t0.AddSeconds(40), amount: 4200, currency: "EUR"));
}
