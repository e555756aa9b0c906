using System.Text;
using Avro.Generic;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Confluent.SchemaRegistry;
using KpiStream.IntegrationTests.Support;
using KpiStream.Processor.Conventions;
using KpiStream.Processor.Hosting;
using KpiStream.Streaming.Provisioning;
using KpiStream.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace KpiStream.IntegrationTests;

/// <summary>
/// What only a real broker and a real Confluent Schema Registry can show (see <see cref="RealKafkaStack"/>
/// for where they come from). A real broker hides aborted transactions, so exactly-once is also visible
/// as the absence of any duplicate. Topics get a unique prefix, so runs on a shared cluster do not meet.
/// </summary>
public class RealBrokerTests(RealKafkaStack stack) : IClassFixture<RealKafkaStack>
{
    private const string PseudonymizationKey = "real-broker-key-0123456789";

    [SkippableFact]
    public async Task On_a_real_broker_read_committed_sees_every_window_exactly_once_and_equal_to_the_oracle()
    {
        Skip.If(stack.Unavailable is not null, stack.Unavailable);
        var (options, config) = await ProvisionAsync(partitions: 6);
        var input = new SyntheticInput(sessions: 25_500, seed: 11, TimeSpan.FromMinutes(15), partitions: 6);
        input.Produce(stack.Bootstrap, options.Topics.DomainEvents);

        using var processor = StartProcessor(options, config, []);
        var output = await TopicReader.WaitUntilAsync(
            stack.Bootstrap,
            options.Topics.KpiWindowed,
            r => KpiTableComparison.DistinctInputWindows(r) >= input.Expected.Count,
            TimeSpan.FromMinutes(5),
            "every expected window");

        var windows = KpiTableComparison.InputWindows(output);
        Assert.Equal(input.Expected.Count, windows.Count);
        Assert.Empty(KpiTableComparison.Differences(input.Expected, windows));
    }

    [SkippableFact]
    public async Task Through_a_real_schema_registry_that_requires_credentials_confluents_serdes_round_trip_exact_kpis_and_no_duplicate()
    {
        Skip.If(stack.Unavailable is not null, stack.Unavailable);
        Skip.If(stack.RegistryUrl is null, "KAFKA_BOOTSTRAP_SERVERS names a cluster but SCHEMA_REGISTRY_URL no registry.");
        var (options, config) = await ProvisionAsync(partitions: 1);
        using var registry = new CachedSchemaRegistryClient(new SchemaRegistryConfig
        {
            Url = stack.RegistryUrl!.ToString(),
            BasicAuthCredentialsSource = AuthCredentialsSource.UserInfo,
            BasicAuthUserInfo = stack.RegistryUserInfo,
        });
        using (var anonymous = new CachedSchemaRegistryClient(new SchemaRegistryConfig { Url = stack.RegistryUrl.ToString() }))
        {
            var refused = await Assert.ThrowsAnyAsync<Exception>(() => anonymous.GetAllSubjectsAsync());
            Assert.Contains("Unauthorized", refused.ToString(), StringComparison.OrdinalIgnoreCase);
        }

        var t0 = StandaloneProcessor.T0;
        await ConfluentSerdes.ProduceAsync(stack.Bootstrap, registry, options.Topics.DomainEvents, ConfluentSerdes.SixFailuresAndOneSale(t0));
        await ConfluentSerdes.ProduceAsync(stack.Bootstrap, registry, options.Topics.DomainEvents, [Events.Of("closer", "login_attempted", "login", "closer", t0.AddMinutes(13).AddSeconds(10), region: "closer")]);
        using var processor = StartProcessor(options, config, ["--schema-registry-url", stack.RegistryUrl.ToString(), "-S", "basic.auth.credentials.source=USER_INFO", "-S", $"basic.auth.user.info={stack.RegistryUserInfo}", "--grace", "5s", "--rollup-windows", "none"]);
        var key = $"checkout|device=web,region=eu-west|{t0.ToUnixTimeMilliseconds()}|60000";
        await TopicReader.WaitUntilAsync(stack.Bootstrap, options.Topics.KpiWindowed, r => r.Any(c => c.Message.Key is { } k && Encoding.UTF8.GetString(k) == key), TimeSpan.FromMinutes(3), key);
        await TopicReader.WaitUntilAsync(stack.Bootstrap, options.Topics.KpiAlerts, r => r.Count > 0, TimeSpan.FromMinutes(3), "an alert");

        var windows = ConfluentSerdes.ReadAll(stack.Bootstrap, registry, options.Topics.KpiWindowed);
        var window = Assert.Single(windows, w => w.Key == key).Value;
        Assert.Equal((7L, 1L, 6L, 7L, 1L), ((long)window["attempts"], (long)window["successes"], (long)window["failures"], (long)window["sessions_started"], (long)window["sessions_converted"]));
        Assert.Equal(windows.Count, windows.Select(w => w.Key).Distinct().Count());
        var page = Assert.Single(ConfluentSerdes.ReadAll(stack.Bootstrap, registry, options.Topics.KpiAlerts), a => (string)a.Value["slo"] == "checkout-success" && ((GenericEnum)a.Value["state"]).Value == "FIRING").Value;
        Assert.Equal(6.0 / 7 / 0.01, (double)((IDictionary<string, object>)page["burn_rates"])["1h"], 9);
        Assert.Contains(options.Topics.KpiWindowed + "-value", await registry.GetAllSubjectsAsync());

        // The configs only a real broker keeps: the outputs read as tables are compacted, alerts and incidents a week after each change.
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = stack.Bootstrap }).Build();
        var described = await admin.DescribeConfigsAsync(new[] { options.Topics.KpiWindowed, options.Topics.KpiAlerts, options.Topics.KpiIncidents }.Select(t => new ConfigResource { Type = ResourceType.Topic, Name = t }));
        Assert.All(described, d => Assert.Equal("compact", d.Entries["cleanup.policy"].Value));
        Assert.Equal(["604800000", "604800000"], described.Skip(1).Select(d => d.Entries["min.compaction.lag.ms"].Value));
    }

    private async Task<(RunOptions Options, string Config)> ProvisionAsync(int partitions)
    {
        var prefix = $"t{Guid.NewGuid():N}-"[..12];
        var config = SampleJourneys.WriteToTempFile();
        var options = new RunOptions { ApplicationId = prefix + "app", InputPartitions = partitions, ConfigPath = config, Topics = TopicNames.WithPrefix(prefix) };
        await new AdminClientTopicProvisioner(new Dictionary<string, string> { ["bootstrap.servers"] = stack.Bootstrap }, TimeSpan.FromSeconds(60), NullLogger<AdminClientTopicProvisioner>.Instance)
            .EnsureAsync(KpiStreamApp.TopicsFor(options), CancellationToken.None);
        return (options, config);
    }

    private KpiProcess StartProcessor(RunOptions options, string config, IEnumerable<string> args) => KpiProcess.Start(
        [
            "run", "--bootstrap-servers", stack.Bootstrap, "--application-id", options.ApplicationId, "--topic-prefix", options.Topics.DomainEvents[..^"domain-events".Length],
            "--partitions", options.InputPartitions.ToString(System.Globalization.CultureInfo.InvariantCulture), "--config", config, "--metrics-port", "0", "--no-live-view", .. args,
        ],
        new Dictionary<string, string> { [RunOptions.PseudonymizationKeyVariable] = PseudonymizationKey });
}
