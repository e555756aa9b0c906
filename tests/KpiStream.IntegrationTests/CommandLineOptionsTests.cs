using System.Text.RegularExpressions;
using Confluent.Kafka;
using KpiStream.IntegrationTests.Support;
using KpiStream.Processor.Conventions;
using KpiStream.TestSupport;

namespace KpiStream.IntegrationTests;

/// <summary>
/// `kpistream run` options passed through the real command line to a running process, each with
/// an effect the test can see; and a check that every option the README documents is exercised so
/// by some test here.
/// </summary>
public sealed partial class CommandLineOptionsTests
{
    private static readonly DateTimeOffset T0 = StandaloneProcessor.T0;

    [Fact]
    public async Task Deployment_options_name_the_topics_group_state_and_cluster_and_the_kpis_stay_exact()
    {
        var stateDirectory = Path.Combine(Path.GetTempPath(), $"kpistream-options-{Guid.NewGuid():N}");
        using var processor = await StandaloneProcessor.StartAsync(
            [
                "--application-id", "team-a", "--topic-prefix", "team1.", "--state-dir", stateDirectory, "--brokers", "2", "--partitions", "2", "--replication-factor", "2",
                "--commit-interval", "200ms", "--idle-advance-after", "20s", "--grace", "5s", "--rollup-windows", "5m",
            ],
            topics: TopicNames.WithPrefix("team1."));

        processor.Produce(0, Events.Of("e1", "checkout_started", "checkout", "s1", T0.AddSeconds(5)), Events.Of("e2", "checkout_completed", "checkout", "s1", T0.AddMinutes(2), amount: 700, currency: "USD"));
        processor.Produce(1, Events.Of("e3", "login_attempted", "login", "s2", T0.AddSeconds(30), region: "us-east"), Events.Of("e4", "login_failed", "login", "s2", T0.AddSeconds(35), region: "us-east"));
        processor.ProduceClosers(2, T0.AddMinutes(17));

        var expected = processor.Expected(TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5));
        Assert.Contains(expected.Values, w => w.Window.Size == TimeSpan.FromMinutes(5) && w.Counters.SessionsConverted == 1 && w.Counters.Revenue.Equals(KpiStream.Core.Kpis.CurrencyAmounts.Of("USD", 700)));
        var records = await processor.WaitForWindowsAsync(expected);
        Assert.Empty(KpiTableComparison.Differences(expected, records));

        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = processor.Bootstrap }).Build();
        var metadata = admin.GetMetadata(TimeSpan.FromSeconds(10));
        Assert.Equal(2, metadata.Brokers.Count);
        var topics = metadata.Topics.Select(t => t.Topic).ToHashSet();
        Assert.Contains("team1.domain-events", topics);
        Assert.Contains("team-a-partials-by-journey-repartition", topics);
        Assert.DoesNotContain("kpi.windowed", topics);
        Assert.Equal(2, metadata.Topics.Single(t => t.Topic == "team1.domain-events").Partitions.Count);
        // Every topic it created, inputs, outputs, the repartition topic and the changelogs, on both brokers.
        var created = metadata.Topics.Where(t => t.Topic.StartsWith("team1.", StringComparison.Ordinal) || t.Topic.StartsWith("team-a-", StringComparison.Ordinal)).ToList();
        Assert.Contains(created, t => t.Topic.EndsWith("-changelog", StringComparison.Ordinal));
        Assert.All(created, t => Assert.All(t.Partitions, p => Assert.Equal(2, p.Replicas.Length)));
        Assert.True(Directory.Exists(Path.Combine(stateDirectory, "team-a")), $"no team-a under {stateDirectory}");
    }

    [Fact]
    public async Task An_instance_id_makes_each_stream_thread_a_static_group_member_and_client_settings_reach_every_client()
    {
        // librdkafka's configuration dump (debug=conf) shows what each client was given.
        using var processor = await StandaloneProcessor.StartAsync(["--instance-id", "pod-a", "--stream-threads", "2", "--demo", "--kafka-property", "debug=conf", "-X", "client.id=team-x"]);

        var lines = processor.Process.Stdout.Concat(processor.Process.Stderr).ToList();
        Assert.Contains(lines, l => l.Contains("|team-x-StreamThread-1-consumer#", StringComparison.Ordinal) && l.EndsWith("group.instance.id = pod-a-1", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("|team-x-StreamThread-2-consumer#", StringComparison.Ordinal) && l.EndsWith("group.instance.id = pod-a-2", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("|team-x-StreamThread-1-producer#", StringComparison.Ordinal) && l.EndsWith("debug = conf", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("|team-x-StreamThread-1-restore#", StringComparison.Ordinal) && l.EndsWith("debug = conf", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("|team-x-demo#", StringComparison.Ordinal) && l.EndsWith("debug = conf", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Settings_from_a_kafka_config_file_or_the_environment_reach_every_client()
    {
        var settings = Path.GetTempFileName();
        await File.WriteAllLinesAsync(settings, ["# as a mounted secret would hold them", "debug=conf"]);
        using var processor = await StandaloneProcessor.StartAsync(
            ["--demo", "--kafka-config", settings],
            environment: new Dictionary<string, string> { [Processor.Hosting.RunOptions.KafkaVariablePrefix + "CLIENT_ID"] = "from-env" });

        var lines = processor.Process.Stdout.Concat(processor.Process.Stderr).ToList();
        foreach (var client in new[] { "StreamThread-1-consumer", "StreamThread-1-producer", "StreamThread-1-restore", "demo" })
        {
            Assert.Contains(lines, l => l.Contains($"|from-env-{client}#", StringComparison.Ordinal) && l.EndsWith("debug = conf", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Kafka_given_the_same_application_id_and_topic_prefix_as_run_creates_every_topic_run_needs()
    {
        using var kafka = KpiProcess.Start(["kafka", "--application-id", "team-b", "--topic-prefix", "team2.", "--partitions", "2"]);
        var bootstrap = Bootstrap.FromLine(await kafka.WaitForLineAsync("bootstrap servers:", StandaloneProcessor.Timeout));
        var port = Polling.FreePort();

        // Without the topics `run` would wait for CreateTopics, which the development broker does not serve, and fail.
        using var run = KpiProcess.Start(
            [
                "run", "--bootstrap-servers", bootstrap, "--application-id", "team-b", "--topic-prefix", "team2.", "--partitions", "2",
                "--config", SampleJourneys.WriteToTempFile(), "--no-live-view", "--metrics-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--startup-timeout", "20s", "-X", "fetch.wait.max.ms=10",
            ],
            new Dictionary<string, string> { [Processor.Hosting.RunOptions.PseudonymizationKeyVariable] = "kafka-prefix-test-key-0123" });
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        await Polling.UntilAsync(async () => (await http.GetAsync("/readyz")).IsSuccessStatusCode, StandaloneProcessor.Timeout);

        Assert.DoesNotContain(run.Stdout, l => l.Contains("Created topics", StringComparison.Ordinal));
        Assert.Contains("kpistream_assigned_tasks 7\n", await http.GetStringAsync("/metrics"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_metrics_address_is_the_one_address_health_and_metrics_answer_on()
    {
        var port = Polling.FreePort();
        // All of 127.0.0.0/8 is this machine's: listening on .2 alone leaves .1 unanswered.
        using var run = KpiProcess.Start(["run", "--config", SampleJourneys.WriteToTempFile(), "--no-live-view", "--metrics-address", "127.0.0.2", "--metrics-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        using var http = new HttpClient();
        await Polling.UntilAsync(async () => (await http.GetAsync($"http://127.0.0.2:{port}/readyz")).IsSuccessStatusCode, StandaloneProcessor.Timeout);

        Assert.Contains("kpistream_assigned_tasks", await http.GetStringAsync($"http://127.0.0.2:{port}/metrics"), StringComparison.Ordinal);
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync($"http://127.0.0.1:{port}/healthz"));
        Assert.Equal(System.Net.Sockets.SocketError.ConnectionRefused, Assert.IsType<System.Net.Sockets.SocketException>(refused.InnerException).SocketErrorCode);
    }

    [Fact]
    public void Every_run_option_in_the_readme_is_passed_to_a_running_process_by_some_test()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "README.md"));
        var table = readme[readme.IndexOf("`run` options:", StringComparison.Ordinal)..];
        table = table[..table.IndexOf("\n\n", table.IndexOf("| ---", StringComparison.Ordinal), StringComparison.Ordinal)];
        var documented = OptionName().Matches(table).Select(m => m.Groups[1].Value).Distinct().ToList();
        // This file's own literals count: the test above passes many of them.
        Assert.True(documented.Count >= 20, $"read only {documented.Count} options from the README's table: {string.Join(' ', documented)}");

        var directory = Path.Combine(RepositoryPaths.Root, "tests", "KpiStream.IntegrationTests");
        var tests = string.Concat(Directory.EnumerateFiles(directory, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(File.ReadAllText));
        var untested = documented.Where(option => !tests.Contains($"\"{option}\"", StringComparison.Ordinal) && !tests.Contains($"\"{option}=", StringComparison.Ordinal));
        Assert.True(!untested.Any(), $"documented but never passed to a running process: {string.Join(' ', untested)}");
    }

    // The option names in the first column of a table row, such as "| `--demo-speed-up`, `--demo-seed` |".
    [GeneratedRegex(@"`(-X|--[a-z-]+)`(?=[^|]*\|[^|]*\|[^|]*\|\s*$)", RegexOptions.Multiline)]
    private static partial Regex OptionName();
}
