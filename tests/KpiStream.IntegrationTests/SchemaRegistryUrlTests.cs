using System.Net;
using System.Text;
using Avro.Generic;
using Confluent.Kafka;
using Confluent.SchemaRegistry;
using Confluent.SchemaRegistry.Serdes;
using KpiStream.Core.Kpis;
using KpiStream.IntegrationTests.Support;
using KpiStream.Serialization.Avro;
using KpiStream.Serialization.Mapping;
using KpiStream.Serialization.Registry;
using KpiStream.TestSupport;

namespace KpiStream.IntegrationTests;

/// <summary>
/// `kpistream run --schema-registry-url` against a Schema Registry served over HTTP (KpiStream's embedded one, empty, as
/// no Confluent registry runs here): input schemas resolve through it, output
/// schemas are registered in it, and the KPIs are exact.
/// </summary>
public sealed class SchemaRegistryUrlTests
{
    private static readonly DateTimeOffset T0 = StandaloneProcessor.T0;

    [Fact]
    public async Task A_processor_given_a_registry_url_decodes_input_and_registers_its_outputs_there()
    {
        await using var registry = await TestSchemaRegistry.StartAsync();
        using var client = new ConfluentSchemaRegistryClient(new SchemaRegistryOptions { Url = registry.Url });
        // The --opt=value form, without the trailing slash the fake's URL has.
        using var processor = await StandaloneProcessor.StartAsync(
            [$"--schema-registry-url={registry.Url.ToString().TrimEnd('/')}", "--partitions", "1", "--grace", "5s", "--rollup-windows", "none"],
            client);

        processor.Produce(
            0,
            Events.Of("e1", "checkout_started", "checkout", "s1", T0.AddSeconds(5)),
            Events.Of("e2", "checkout_completed", "checkout", "s1", T0.AddSeconds(12), amount: 4200, currency: "EUR"),
            Events.Of("e3", "checkout_started", "checkout", "s2", T0.AddSeconds(20)),
            Events.Of("e4", "checkout_failed", "checkout", "s2", T0.AddSeconds(40)));
        processor.ProduceClosers(1, T0.AddMinutes(13).AddSeconds(10));

        var expected = processor.Expected();
        var window = Assert.Single(expected).Value;
        Assert.Equal((2L, 1L, 1L, 2L, 1L), (window.Counters.Attempts, window.Counters.Successes, window.Counters.Failures, window.Counters.SessionsStarted, window.Counters.SessionsConverted));
        var records = await processor.WaitForWindowsAsync(expected);
        Assert.Empty(KpiTableComparison.Differences(expected, records, client));

        // The test's producer registered domain-events-value; the processor fetched it by id and registered its own outputs.
        Assert.Contains($"GET /schemas/ids/{registry.Store.Lookup("domain-events-value", TestSchemas.Set.DomainEvent)!.Id}", registry.Requests);
        Assert.Contains("POST /subjects/kpi.windowed-value/versions", registry.Requests);
    }

    [Fact]
    public async Task Registry_credentials_from_a_settings_file_authenticate_every_call_and_never_appear_in_the_output()
    {
        await using var registry = await TestSchemaRegistry.StartAsync();
        registry.RequiredUserInfo = "kpistream:s3cret-Pa55";
        var settings = Path.GetTempFileName();
        await File.WriteAllLinesAsync(settings, ["# as a mounted secret would hold them", "basic.auth.credentials.source=USER_INFO", "basic.auth.user.info=kpistream:s3cret-Pa55"]);
        var credentials = new Dictionary<string, string> { ["basic.auth.credentials.source"] = "USER_INFO", ["basic.auth.user.info"] = "kpistream:s3cret-Pa55" };
        using var client = new ConfluentSchemaRegistryClient(new SchemaRegistryOptions { Url = registry.Url, Properties = credentials });
        using var processor = await StandaloneProcessor.StartAsync(
            ["--schema-registry-url", registry.Url.ToString(), "--schema-registry-config", settings, "--partitions", "1", "--grace", "5s", "--rollup-windows", "none"],
            client);

        processor.Produce(0, Events.Of("e1", "checkout_started", "checkout", "s1", T0.AddSeconds(5)), Events.Of("e2", "checkout_completed", "checkout", "s1", T0.AddSeconds(12), amount: 4200, currency: "EUR"));
        processor.ProduceClosers(1, T0.AddMinutes(13).AddSeconds(10));
        var expected = processor.Expected();
        Assert.Empty(KpiTableComparison.Differences(expected, await processor.WaitForWindowsAsync(expected), client));
        Assert.Contains("POST /subjects/kpi.windowed-value/versions", registry.Requests);
        Assert.DoesNotContain(processor.Process.Stdout.Concat(processor.Process.Stderr), l => l.Contains("s3cret-Pa55", StringComparison.Ordinal));

        // With a wrong password the registry refuses the processor's client, and start-up says so in one line.
        var (exit, refused) = await KpiProcess.RunAsync(
            [
                "run", "--schema-registry-url", registry.Url.ToString(), "--schema-registry-property", "basic.auth.credentials.source=USER_INFO", "-S", "basic.auth.user.info=kpistream:wrong",
                "--config", SampleJourneys.WriteToTempFile(), "--no-live-view", "--metrics-port", "0", "--duration", "30s",
            ],
            StandaloneProcessor.Timeout);
        using (refused)
        {
            Assert.Equal(1, exit);
            Assert.Contains(refused.Stdout.Concat(refused.Stderr), l => l.StartsWith($"--schema-registry-url: the output schemas could not be registered at {registry.Url}: ", StringComparison.Ordinal) && l.Contains("401", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Without_auto_registration_the_outputs_schemas_must_be_there_and_a_subject_without_them_stops_start_up_naming_it()
    {
        await using var registry = await TestSchemaRegistry.StartAsync();
        using var admin = new ConfluentSchemaRegistryClient(new SchemaRegistryOptions { Url = registry.Url });
        // A subject managed elsewhere, holding another schema (version 1), which KpiStream's cannot read: incompatible.
        await admin.RegisterAsync("kpi.windowed-value", TestSchemas.Set.Alert);
        string[] args = ["run", "--schema-registry-url", registry.Url.ToString(), "--no-schema-auto-register", "--config", SampleJourneys.WriteToTempFile(), "--no-live-view", "--metrics-port", "0", "--duration", "20s"];

        var (exit, refused) = await KpiProcess.RunAsync(args, StandaloneProcessor.Timeout);
        using (refused)
        {
            Assert.Equal(1, exit);
            Assert.Contains(
                $"--schema-registry-url: the output schemas could not be found at {registry.Url}: subject 'kpi.windowed-value' holds versions up to 1, none of them KpiStream's dev.kpistream.v1.KpiWindow, "
                + "and schemas are not registered automatically (--no-schema-auto-register); the registry judges it incompatible with version 1",
                refused.Stdout.Concat(refused.Stderr));
        }

        Assert.DoesNotContain("POST /subjects/kpi.windowed-value/versions", registry.Requests.Skip(1));

        // Once the subjects hold KpiStream's schemas (the subject's owners lift its compatibility rule to replace its schema), it starts, finding them without registering anything.
        registry.Store.SetSubjectCompatibility("kpi.windowed-value", CompatibilityLevel.None);
        await admin.RegisterAsync("kpi.windowed-value", TestSchemas.Set.KpiWindow);
        await admin.RegisterAsync("kpi.alerts-value", TestSchemas.Set.Alert);
        await admin.RegisterAsync("kpi.incidents-value", TestSchemas.Set.Incident);
        var registrations = registry.Requests.Count(r => r.EndsWith("/versions", StringComparison.Ordinal) && r.StartsWith("POST", StringComparison.Ordinal));
        var (started, run) = await KpiProcess.RunAsync(args, StandaloneProcessor.Timeout);
        using (run)
        {
            Assert.Equal(0, started);
        }

        Assert.Equal(registrations, registry.Requests.Count(r => r.EndsWith("/versions", StringComparison.Ordinal) && r.StartsWith("POST", StringComparison.Ordinal)));
        Assert.Contains("POST /subjects/kpi.alerts-value", registry.Requests);
    }

    [Fact]
    public async Task Registry_credentials_from_the_environment_authenticate_the_processor()
    {
        await using var registry = await TestSchemaRegistry.StartAsync();
        registry.RequiredUserInfo = "kpistream:env-Pa55";
        var environment = new Dictionary<string, string>
        {
            [Processor.Hosting.RunOptions.SchemaRegistryVariablePrefix + "BASIC_AUTH_CREDENTIALS_SOURCE"] = "USER_INFO",
            [Processor.Hosting.RunOptions.SchemaRegistryVariablePrefix + "BASIC_AUTH_USER_INFO"] = "kpistream:env-Pa55",
        };

        var (exit, run) = await KpiProcess.RunAsync(
            ["run", "--schema-registry-url", registry.Url.ToString(), "--config", SampleJourneys.WriteToTempFile(), "--no-live-view", "--metrics-port", "0", "--duration", "5s"],
            StandaloneProcessor.Timeout,
            environment);
        using (run)
        {
            Assert.Equal(0, exit);
        }

        Assert.Contains("POST /subjects/kpi.windowed-value/versions", registry.Requests);
        Assert.Contains("POST /subjects/kpi.alerts-value/versions", registry.Requests);
    }

    [Fact]
    public async Task While_the_registry_is_down_records_of_a_new_writer_schema_wait_and_are_then_counted_exactly_with_none_dead_lettered()
    {
        await using var registry = await TestSchemaRegistry.StartAsync();
        using var client = new ConfluentSchemaRegistryClient(new SchemaRegistryOptions { Url = registry.Url });
        using var processor = await StandaloneProcessor.StartAsync(
            ["--schema-registry-url", registry.Url.ToString(), "--partitions", "1", "--grace", "5s", "--rollup-windows", "none"],
            client);

        // A producer on a newer release writes a field the processor's schema lacks (serialized while the registry is up); then the registry goes down and the records arrive.
        var newer = EvolvedSchemas.WithOptionalField(TestSchemas.Set.DomainEvent, "coupon");
        var mapper = new DomainEventMapper(TestSchemas.Set.DomainEvent);
        using var producerRegistry = new CachedSchemaRegistryClient(new SchemaRegistryConfig { Url = registry.Url.ToString() });
        var serializer = new AvroSerializer<GenericRecord>(producerRegistry);
        var framed = new List<(string Key, byte[] Value)>();
        foreach (var e in new[]
        {
            Events.Of("e1", "checkout_started", "checkout", "s1", T0.AddSeconds(5)),
            Events.Of("e2", "checkout_completed", "checkout", "s1", T0.AddSeconds(12), amount: 4200, currency: "EUR"),
            Events.Of("e3", "checkout_started", "checkout", "s2", T0.AddSeconds(20)),
            Events.Of("e4", "checkout_failed", "checkout", "s2", T0.AddSeconds(40)),
            Events.Of("e5", "checkout_started", "checkout", "s3", T0.AddSeconds(45)),
        })
        {
            framed.Add((e.SessionId, await serializer.SerializeAsync(EvolvedSchemas.As(mapper.ToRecord(e), newer), new SerializationContext(MessageComponentType.Value, processor.Topics.DomainEvents))));
        }

        registry.Unavailable = true;
        foreach (var (session, value) in framed)
        {
            processor.ProduceRaw(processor.Topics.DomainEvents, 0, session, value);
        }

        // The processor waits, says why, and stays in its group; 10 s of outage.
        await Polling.UntilAsync(async () => (await processor.Http.GetAsync("/readyz")).StatusCode == HttpStatusCode.ServiceUnavailable, StandaloneProcessor.Timeout);
        var waiting = await processor.Http.GetAsync("/readyz");
        Assert.StartsWith("waiting for schema-registry: Schema registry failed reading schema id ", await waiting.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await Task.Delay(TimeSpan.FromSeconds(10));
        var metrics = await processor.MetricsAsync();
        Assert.Equal([1.0], PrometheusText.Samples(metrics, "kpistream_input_partitions_waiting "));
        Assert.True(PrometheusText.Samples(metrics, "kpistream_dependency_unavailable_total{dependency=\"schema-registry\"}").Single() >= 3);
        Assert.False(processor.Process.HasExited);
        registry.Unavailable = false;

        processor.ProduceClosers(1, T0.AddMinutes(13).AddSeconds(10));
        var key = $"checkout|device=web,region=eu-west|{T0.ToUnixTimeMilliseconds()}|60000";
        var records = await TopicReader.WaitUntilAsync(processor.Bootstrap, processor.Topics.KpiWindowed, r => r.Any(c => c.Message.Key is { } k && Encoding.UTF8.GetString(k) == key), StandaloneProcessor.Timeout, key);
        var codec = new AvroCodec<KpiWindow>(new KpiWindowMapper(TestSchemas.Set.KpiWindow), client, processor.Topics.KpiWindowed);
        var window = codec.Decode(records.Last(r => Encoding.UTF8.GetString(r.Message.Key!) == key).Message.Value).Value!;
        Assert.Equal((3L, 1L, 1L, 3L, 1L, 4200L), (window.Counters.Attempts, window.Counters.Successes, window.Counters.Failures, window.Counters.SessionsStarted, window.Counters.SessionsConverted, window.Counters.Revenue.Amounts["EUR"]));
        Assert.Empty(TopicReader.ReadAll(processor.Bootstrap, processor.Topics.DeadLetter));
        Assert.Equal(HttpStatusCode.OK, (await processor.Http.GetAsync("/readyz")).StatusCode);
        Assert.Equal([0.0], PrometheusText.Samples(await processor.MetricsAsync(), "kpistream_input_partitions_waiting "));
    }
}
