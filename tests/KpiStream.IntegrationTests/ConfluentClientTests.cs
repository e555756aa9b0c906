using System.Globalization;
using System.Text.Json;
using Avro.Generic;
using Confluent.Kafka;
using Confluent.SchemaRegistry;
using Confluent.SchemaRegistry.Serdes;
using Confluent.Kafka.SyncOverAsync;
using KpiStream.Core.Events;
using KpiStream.IntegrationTests.Support;
using KpiStream.Serialization.Mapping;
using KpiStream.TestSupport;

namespace KpiStream.IntegrationTests;

/// <summary>
/// KpiStream among the clients of the Confluent ecosystem, through the Schema Registry that `run`
/// serves: Confluent's AvroSerializer writes the input, and Confluent's AvroDeserializer (C#) and
/// Debian's confluent-kafka with avro (Python) read both outputs, with no KpiStream code and no
/// .avsc file on the consuming side.
/// </summary>
public sealed class ConfluentClientTests
{
    private static readonly DateTimeOffset T0 = StandaloneProcessor.T0;

    [Fact]
    public async Task Input_from_confluents_serializer_gives_exact_kpis_and_alerts_that_confluents_deserializer_and_python_read_through_the_embedded_registry()
    {
        var registryPort = Polling.FreePort();
        using var processor = await StandaloneProcessor.StartAsync(["--partitions", "1", "--grace", "5s", "--rollup-windows", "none", "--schema-registry-port", registryPort.ToString(CultureInfo.InvariantCulture)]);
        var registryUrl = Bootstrap.RegistryUrl(processor.Process.Stdout);
        Assert.Equal(new Uri($"http://127.0.0.1:{registryPort}"), registryUrl);
        using var registry = new CachedSchemaRegistryClient(new SchemaRegistryConfig { Url = registryUrl.ToString() });

        // Minute 0 of checkout in eu-west on the web: six sessions start and fail, a seventh completes (42.00 EUR).
        var mapper = new DomainEventMapper(TestSchemas.Set.DomainEvent);
        using (var producer = new ProducerBuilder<string, GenericRecord>(new ProducerConfig { BootstrapServers = processor.Bootstrap, EnableIdempotence = true })
            .SetValueSerializer(new AvroSerializer<GenericRecord>(registry)).Build())
        {
            var events = Enumerable.Range(1, 6).SelectMany(i => new[]
                {
                    Events.Of($"start-{i}", "checkout_started", "checkout", $"s{i}", T0.AddSeconds(i)),
                    Events.Of($"fail-{i}", "checkout_failed", "checkout", $"s{i}", T0.AddSeconds(20 + i)),
                })
                .Append(Events.Of("start-7", "checkout_started", "checkout", "s7", T0.AddSeconds(30)))
                .Append(Events.Of("done-7", "checkout_completed", "checkout", "s7", T0.AddSeconds(40), amount: 4200, currency: "EUR"));
            foreach (var e in events)
            {
                await producer.ProduceAsync(new TopicPartition(processor.Topics.DomainEvents, 0), new Message<string, GenericRecord> { Key = e.SessionId, Value = mapper.ToRecord(e) });
            }
        }

        processor.ProduceClosers(1, T0.AddMinutes(13).AddSeconds(10));
        var windowKey = $"checkout|device=web,region=eu-west|{T0.ToUnixTimeMilliseconds()}|60000";
        await TopicReader.WaitUntilAsync(processor.Bootstrap, processor.Topics.KpiWindowed, r => r.Any(c => c.Message.Key is { } k && System.Text.Encoding.UTF8.GetString(k) == windowKey), StandaloneProcessor.Timeout, windowKey);
        await TopicReader.WaitUntilAsync(processor.Bootstrap, processor.Topics.KpiAlerts, r => r.Count > 0, StandaloneProcessor.Timeout, "an alert");

        // C#: Confluent's consumer and AvroDeserializer<GenericRecord>, pointed at the registry URL.
        var windows = ReadWithConfluent(processor.Bootstrap, registry, processor.Topics.KpiWindowed);
        var alerts = ReadWithConfluent(processor.Bootstrap, registry, processor.Topics.KpiAlerts);
        var window = windows.Last(w => w.Key == windowKey).Value;
        Assert.Equal(
            ("checkout", 7L, 1L, 6L, 7L, 1L, 1.0 / 7, 4200L),
            ((string)window["journey"], (long)window["attempts"], (long)window["successes"], (long)window["failures"], (long)window["sessions_started"], (long)window["sessions_converted"], (double)window["success_rate"], (long)((IDictionary<string, object>)window["revenue_minor"])["EUR"]));
        var page = alerts.Select(a => a.Value).First(a => (string)a["slo"] == "checkout-success" && ((GenericEnum)a["state"]).Value == "FIRING");
        Assert.Equal(("PAGE", "checkout", "*", "team-payments"), (((GenericEnum)page["severity"]).Value, (string)page["journey"], (string)page["segment_key"], (string)page["owner"]));
        // Six bad of seven against a 99% objective: a burn rate of (6/7)/0.01 in each window that holds minute 0.
        Assert.Equal(6.0 / 7 / 0.01, (double)((IDictionary<string, object>)page["burn_rates"])["1h"], 9);
        Assert.Equal(6.0 / 7 / 0.01, (double)((IDictionary<string, object>)page["burn_rates"])["5m"], 9);

        // Python: Debian's confluent-kafka asks the same registry for each writer schema; avro decodes.
        var (exit, output, errors) = await RunPythonReaderAsync(processor.Bootstrap, registryUrl, processor.Topics.KpiWindowed, processor.Topics.KpiAlerts);
        Assert.True(exit == 0, errors);
        var records = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var fromPython = records.Single(r => r.GetProperty("topic").GetString() == processor.Topics.KpiWindowed && r.GetProperty("key").GetString() == windowKey).GetProperty("value");
        Assert.Equal(
            (7L, 1L, 6L, 4200L),
            (fromPython.GetProperty("attempts").GetInt64(), fromPython.GetProperty("successes").GetInt64(), fromPython.GetProperty("failures").GetInt64(), fromPython.GetProperty("revenue_minor").GetProperty("EUR").GetInt64()));
        var pythonPage = records.First(r => r.GetProperty("topic").GetString() == processor.Topics.KpiAlerts && r.GetProperty("key").GetString() == (string)page["alert_id"]).GetProperty("value");
        // The same double, bit for bit, from both decoders.
        Assert.Equal(((string)page["alert_id"], (double)((IDictionary<string, object>)page["burn_rates"])["1h"]), (pythonPage.GetProperty("alert_id").GetString()!, pythonPage.GetProperty("burn_rates").GetProperty("1h").GetDouble()));
        Assert.Equal($"checkout-success|checkout|*|page@{T0.AddMinutes(1).ToUnixTimeMilliseconds()}", (string)page["alert_id"]);
        Assert.Equal(windows.Count + alerts.Count, records.Count);
    }

    /// <summary>Every record of <paramref name="topic"/>, partition by partition, as Confluent's deserializer gives it.</summary>
    private static List<KeyValuePair<string, GenericRecord>> ReadWithConfluent(string bootstrap, ISchemaRegistryClient registry, string topic)
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

    private static async Task<(int Exit, string Output, string Errors)> RunPythonReaderAsync(string bootstrap, Uri registryUrl, params string[] topics)
    {
        var start = new System.Diagnostics.ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { Path.Combine(RepositoryPaths.Root, "tests", "clients", "read_outputs.py"), bootstrap, registryUrl.ToString() }.Concat(topics))
        {
            start.ArgumentList.Add(arg);
        }

        using var python = System.Diagnostics.Process.Start(start)!;
        var output = python.StandardOutput.ReadToEndAsync();
        var errors = python.StandardError.ReadToEndAsync();
        await python.WaitForExitAsync().WaitAsync(StandaloneProcessor.Timeout);
        return (python.ExitCode, await output, await errors);
    }
}
