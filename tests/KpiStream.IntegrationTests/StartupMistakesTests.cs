using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Confluent.Kafka;
using KpiStream.Processor.Hosting;
using KpiStream.TestSupport;

namespace KpiStream.IntegrationTests;

/// <summary>
/// Every mistake a user can make on the command line or in the environment, made against the real
/// process: one line naming the option, the value and what was expected, a non-zero exit code,
/// never a stack trace, and nothing touched outside the state directory.
/// </summary>
public sealed class StartupMistakesTests : IClassFixture<StartupMistakesTests.StandaloneKafka>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);
    private static readonly Dictionary<string, string> Key = new() { [RunOptions.PseudonymizationKeyVariable] = "startup-mistakes-key-0123456789" };
    private readonly StandaloneKafka _kafka;

    public StartupMistakesTests(StandaloneKafka kafka) => _kafka = kafka;

    public static TheoryData<string[], int, string> CommandLineMistakes => new()
    {
        { ["run", "--metrics-port", "abc"], 2, "Cannot parse argument 'abc' for option '--metrics-port' as expected type 'System.Int32'." },
        { ["run", "-X", "foo.bar=1"], 2, "-X: librdkafka refused the settings: No such configuration property: \"foo.bar\"." },
        { ["run", "-X", "=1"], 2, "-X: expected key=value with a librdkafka setting as the key, got '=1'." },
        { ["run", "-X", "acks=1", "-X", "acks=all"], 2, "-X acks: given twice; give each setting once." },
        { ["run", "-X", "message.max.bytes=12"], 2, "-X message.max.bytes: expected 1000 to 1000000000 bytes, got '12'." },
        { ["run", "--application-id", ""], 2, "--application-id: expected letters, digits, '.', '_' and '-', at most 249 characters, not '.' or '..', got ''." },
        { ["run", "--demo", "--demo-speed-up", "NaN"], 2, "--demo-speed-up: expected 1 to 1000, got NaN." },
        { ["run", "--commit-interval", "5ms"], 2, "--commit-interval: expected 10ms to 1m, got 5ms." },
        { ["run", "--grace", "2h"], 2, "--grace: expected 0s to 1h, got 2h." },
        { ["run", "--metrics-address", "localhost"], 2, "--metrics-address: expected an IP address such as 127.0.0.1, 0.0.0.0 or ::1, got 'localhost'." },
        { ["run", "--metrics-address", "192.0.2.1"], 1, "--metrics-address: 192.0.2.1 is not an address of this machine (" },
        { ["run", "-S", "basic.auth.user.info=a:b"], 2, "-S: Schema Registry settings (-S, --schema-registry-config or KPISTREAM_SCHEMA_REGISTRY_*) given without --schema-registry-url; the embedded registry takes none." },
        { ["run", "--no-schema-auto-register"], 2, "--no-schema-auto-register: given without --schema-registry-url; the embedded registry always holds KpiStream's schemas." },
        { ["run", "--kafka-config", "/nonexistent.properties"], 2, "--kafka-config: expected a file of key=value lines, '/nonexistent.properties' does not exist." },
        { ["run", "--state-dir", "/proc/kpistream-state"], 2, "--state-dir: expected a directory KpiStream can write to, got '/proc/kpistream-state'" },
        { ["run", "--bootstrap-servers", "127.0.0.1:1", "--startup-timeout", "2s"], 1, "Kafka at 127.0.0.1:1 could not be reached within 2 s (--startup-timeout): " },
        { ["run", "--replication-factor", "0"], 2, "--replication-factor: expected 1 to 16, or -1 for the cluster's default.replication.factor, got 0." },
        { ["run", "--brokers", "2", "--replication-factor", "3"], 2, "--replication-factor: the embedded cluster has 2 broker(s) (--brokers), too few for 3 replicas." },
        { ["alerts", "forward", "--bootstrap-servers", "127.0.0.1:1", "--schema-registry-url", "http://127.0.0.1:1", "--alertmanager-url", "http://127.0.0.1:9", "--startup-timeout", "0s"], 2, "--startup-timeout: expected 1s to 1h, got 0s." },
        { ["run", "--alertmanager-config", "/etc/hostname"], 2, "--alertmanager-config: given without --alertmanager-url; there is no Alertmanager to send it to." },
        { ["run", "--alertmanager-url", "http://127.0.0.1:9", "--alertmanager-config", "/nonexistent.properties"], 2, "--alertmanager-config: expected a file of key=value lines, '/nonexistent.properties' does not exist." },
        { ["kafka", "--brokers", "0"], 2, "--brokers: expected 1 to 9, got 0." },
        { ["kafka", "--brokers", "10"], 2, "--brokers: expected 1 to 9, got 10." },
        { ["kafka", "--partitions", "0"], 2, "--partitions: expected 1 to 256, got 0." },
        { ["kafka", "--partitions", "300"], 2, "--partitions: expected 1 to 256, got 300." },
        { ["kafka", "--config", "/nonexistent.yaml"], 2, "/nonexistent.yaml: file not found" },
        { ["kafka", "--application-id", ""], 2, "--application-id: expected letters, digits, '.', '_' and '-', at most 249 characters, not '.' or '..', got ''." },
    };

    [Theory]
    [MemberData(nameof(CommandLineMistakes))]
    public async Task A_mistake_ends_in_one_line_and_a_non_zero_exit_code(string[] args, int exitCode, string message)
    {
        var (exit, process) = await KpiProcess.RunAsync(args, Timeout, Key);
        using (process)
        {
            AssertOneLine(process, exitCode, exit, message);
        }
    }

    [Fact]
    public async Task A_state_directory_that_is_a_file_is_refused()
    {
        var file = Path.GetTempFileName();

        var (exit, process) = await KpiProcess.RunAsync(["run", "--state-dir", file], Timeout);
        using (process)
        {
            AssertOneLine(process, 2, exit, $"--state-dir: expected a directory KpiStream can write to, got '{file}' (it is a file).");
        }
    }

    [Fact]
    public async Task A_metrics_port_in_use_is_named()
    {
        using var listener = new TcpListener(IPAddress.IPv6Any, 0);
        listener.Server.DualMode = true;
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;

        var (exit, process) = await KpiProcess.RunAsync(["run", "--metrics-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)], Timeout);
        using (process)
        {
            AssertOneLine(process, 1, exit, $"--metrics-port: cannot listen on port {port} (");
        }
    }

    [Fact]
    public async Task A_cluster_that_refuses_the_clients_authentication_fails_start_up_at_once_without_showing_the_secret()
    {
        // The development broker serves no SASL handshake, so any SASL login is refused, as a wrong password would be.
        var settings = Path.GetTempFileName();
        await File.WriteAllLinesAsync(settings, ["# from a mounted secret", "security.protocol=SASL_PLAINTEXT", "sasl.mechanisms=PLAIN", "sasl.username=kpistream", "sasl.password=s3cret-Pa55"]);

        var (exit, process) = await KpiProcess.RunAsync(["run", "--bootstrap-servers", _kafka.Bootstrap, "--kafka-config", settings, "--no-live-view"], Timeout, Key);
        using (process)
        {
            AssertOneLine(process, 1, exit, $"Kafka at {_kafka.Bootstrap} refused the client's authentication: ");
            Assert.DoesNotContain(process.Stdout.Concat(process.Stderr), l => l.Contains("s3cret-Pa55", StringComparison.Ordinal));
            Assert.DoesNotContain(process.Stdout.Concat(process.Stderr), l => l.Contains("not reachable yet", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task A_forwarder_whose_credentials_the_cluster_refuses_ends_at_once_in_one_line_without_showing_the_secret()
    {
        var settings = Path.GetTempFileName();
        await File.WriteAllLinesAsync(settings, ["security.protocol=SASL_PLAINTEXT", "sasl.mechanisms=PLAIN", "sasl.username=forwarder", "sasl.password=f0rward-Pa55"]);
        var started = DateTime.UtcNow;

        var (exit, process) = await KpiProcess.RunAsync([.. Forward(""), "--kafka-config", settings], Timeout);
        using (process)
        {
            AssertOneLine(process, 1, exit, $"Kafka at {_kafka.Bootstrap} refused the client's authentication: ");
            Assert.DoesNotContain(process.Stdout.Concat(process.Stderr), l => l.Contains("f0rward-Pa55", StringComparison.Ordinal));
            // Before: the consumer's metadata request timed out after 30 s, and the forwarder's failure came with a stack trace.
            Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(20), $"took {DateTime.UtcNow - started}");
            Assert.DoesNotContain(process.Stdout, l => l.StartsWith("Metrics on", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task A_forwarder_whose_topic_never_appears_names_it_after_the_startup_timeout_and_does_not_create_it()
    {
        var prefix = $"absent-{Guid.NewGuid():N}.";

        var (exit, process) = await KpiProcess.RunAsync([.. Forward(prefix), "--startup-timeout", "3s"], Timeout);
        using (process)
        {
            AssertOneLine(process, 1, exit, $"Topic '{prefix}kpi.alerts' does not exist at {_kafka.Bootstrap} after 3 s (--startup-timeout); the processor creates it when it starts");
        }

        // Looking for the topic must not create it, or a forwarder with a mistyped prefix would wait on an empty topic of its own making.
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = _kafka.Bootstrap }).Build();
        Assert.DoesNotContain(admin.GetMetadata(TimeSpan.FromSeconds(10)).Topics, t => t.Topic.StartsWith(prefix, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_forwarder_started_before_the_processor_waits_for_its_topic_and_is_ready_once_it_exists()
    {
        var prefix = $"late-{Guid.NewGuid():N}.";
        var started = DateTimeOffset.UtcNow;
        using var process = KpiProcess.Start(Forward(prefix));
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.False(process.HasExited, process.LastOutput(20));

        // What the processor does at start-up, as far as the forwarder can tell: the topic appears (the development broker creates it on a first write).
        using (var producer = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = _kafka.Bootstrap }).Build())
        {
            await producer.ProduceAsync($"{prefix}kpi.alerts", new Message<Null, string> { Value = "not an alert" });
        }

        await process.WaitForLineAsync("caught up with kpi.alerts: 0 alert(s) firing", Timeout);
        var port = Bootstrap.MetricsPort(await process.WaitForLineAsync("Metrics on", Timeout));
        using var http = new HttpClient();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri($"http://127.0.0.1:{port}/readyz"))).StatusCode);
        var metrics = await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/metrics"));
        Assert.Contains("kpistream_forwarder_records_skipped_total 1", metrics, StringComparison.Ordinal);
        // Its Alertmanager never answers: it counts as last reached when the forwarder started, so the health rule's clock runs.
        var lastAccepted = Regex.Match(metrics, @"^kpistream_forwarder_last_accepted_timestamp_seconds\{alertmanager=""http://127.0.0.1:9/""\} (\S+)$", RegexOptions.Multiline);
        Assert.True(lastAccepted.Success, metrics);
        Assert.InRange(double.Parse(lastAccepted.Groups[1].Value, CultureInfo.InvariantCulture), started.ToUnixTimeSeconds(), DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1);
        process.Signal(15);
        Assert.Equal(0, await process.WaitForExitAsync(Timeout));
    }

    [Fact]
    public async Task Topics_with_another_partition_count_are_named_with_both_counts()
    {
        var (exit, process) = await KpiProcess.RunAsync(["run", "--bootstrap-servers", _kafka.Bootstrap, "--partitions", "3", "--no-live-view"], Timeout, Key);
        using (process)
        {
            AssertOneLine(process, 1, exit, "Topic 'domain-events' has 6 partitions, KpiStream is configured for 3 (--partitions); align the option or the topic.");
        }
    }

    [Theory]
    [InlineData("..")]
    [InlineData("../x")]
    [InlineData("/abs")]
    [InlineData("a/b")]
    public async Task A_hostile_application_id_is_refused_before_anything_touches_the_disk(string applicationId)
    {
        var root = Path.Combine(Path.GetTempPath(), $"kpistream-hostile-{Guid.NewGuid():N}");
        var precious = Path.Combine(root, "precious", "file.txt");
        Directory.CreateDirectory(Path.GetDirectoryName(precious)!);
        await File.WriteAllTextAsync(precious, "keep me");
        var state = Path.Combine(root, "state");

        var (exit, process) = await KpiProcess.RunAsync(["run", "--state-dir", state, "--application-id", applicationId, "--duration", "15s"], Timeout);
        using (process)
        {
            AssertOneLine(process, 2, exit, $"--application-id: expected letters, digits, '.', '_' and '-', at most 249 characters, not '.' or '..', got '{applicationId}'.");
        }

        Assert.Equal("keep me", await File.ReadAllTextAsync(precious));
        Assert.False(Directory.Exists(state));
        Directory.Delete(root, recursive: true);
    }

    [Fact]
    public async Task A_grace_of_zero_is_accepted()
    {
        var (exit, process) = await KpiProcess.RunAsync(["run", "--grace", "0s", "--duration", "3s", "--metrics-port", "0", "--no-live-view"], Timeout);
        using (process)
        {
            Assert.True(exit == 0, process.LastOutput(20));
            Assert.Empty(process.Stderr);
        }
    }

    /// <summary>`alerts forward` against the shared cluster; the registry is not asked before the topic is found, and the Alertmanager is never reached.</summary>
    private string[] Forward(string topicPrefix) =>
        ["alerts", "forward", "--bootstrap-servers", _kafka.Bootstrap, "--schema-registry-url", _kafka.Registry.ToString(), "--alertmanager-url", "http://127.0.0.1:9/", "--topic-prefix", topicPrefix, "--metrics-port", "0"];

    private static void AssertOneLine(KpiProcess process, int expectedExit, int exit, string message)
    {
        var detail = process.LastOutput(20);
        Assert.True(exit == expectedExit, $"exit code {exit}, expected {expectedExit}\n{detail}");
        var lines = process.Stderr.Where(l => !l.StartsWith("See 'kpistream", StringComparison.Ordinal)).ToList();
        Assert.True(lines.Count == 1 && lines[0].StartsWith(message, StringComparison.Ordinal), $"expected one line starting '{message}'\n{detail}");
        Assert.DoesNotContain(process.Stdout.Concat(process.Stderr), l => l.TrimStart().StartsWith("at ", StringComparison.Ordinal));
    }

    /// <summary>`kpistream kafka` with KpiStream's default topics (6 partitions), shared by the tests that need a cluster.</summary>
    public sealed class StandaloneKafka : IAsyncLifetime
    {
        private KpiProcess _process = null!;

        public string Bootstrap { get; private set; } = "";

        public Uri Registry { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            _process = KpiProcess.Start(["kafka"]);
            Bootstrap = TestSupport.Bootstrap.FromLine(await _process.WaitForLineAsync("bootstrap servers:", Timeout));
            Registry = TestSupport.Bootstrap.RegistryUrl([await _process.WaitForLineAsync("Schema registry (embedded", Timeout)]);
        }

        public Task DisposeAsync()
        {
            _process.Dispose();
            return Task.CompletedTask;
        }
    }
}
