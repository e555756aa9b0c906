using KpiStream.Processor.Conventions;
using KpiStream.Processor.Hosting;
using KpiStream.Streaming.Provisioning;
using KpiStream.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace KpiStream.IntegrationTests;

/// <summary>
/// On a real broker, which hides aborted transactions, exactly-once is also visible as the absence
/// of any duplicate: every window appears on kpi.windowed exactly once. Runs where
/// KAFKA_BOOTSTRAP_SERVERS names a cluster; topics get a unique prefix so runs do not meet.
/// </summary>
public class RealBrokerTests
{
    private const string BootstrapVariable = "KAFKA_BOOTSTRAP_SERVERS";

    [SkippableFact]
    public async Task On_a_real_broker_read_committed_sees_every_window_exactly_once_and_equal_to_the_oracle()
    {
        var bootstrap = Environment.GetEnvironmentVariable(BootstrapVariable);
        Skip.If(
            string.IsNullOrWhiteSpace(bootstrap),
            $"{BootstrapVariable} is not set, and no Docker engine runs on this project's machines for Testcontainers.Kafka; the embedded broker shows aborted transactions, so 'no duplicate at all' cannot be observed on it.");

        var prefix = $"t{Guid.NewGuid():N}-"[..12];
        var config = SampleJourneys.WriteToTempFile();
        var options = new RunOptions { ApplicationId = prefix + "app", InputPartitions = 6, ConfigPath = config, Topics = TopicNames.WithPrefix(prefix) };
        await new AdminClientTopicProvisioner(new Dictionary<string, string> { ["bootstrap.servers"] = bootstrap! }, TimeSpan.FromSeconds(60), NullLogger<AdminClientTopicProvisioner>.Instance)
            .EnsureAsync(KpiStreamApp.TopicsFor(options), CancellationToken.None);
        var input = new SyntheticInput(sessions: 25_500, seed: 11, TimeSpan.FromMinutes(15), partitions: 6);
        input.Produce(bootstrap!, options.Topics.DomainEvents);

        using var processor = KpiProcess.Start(
            ["run", "--bootstrap-servers", bootstrap!, "--application-id", options.ApplicationId, "--topic-prefix", prefix, "--config", config, "--grace", "10s", "--metrics-port", "0", "--no-live-view"],
            new Dictionary<string, string> { [RunOptions.PseudonymizationKeyVariable] = "real-broker-key-0123456789" });
        var output = await TopicReader.WaitUntilAsync(
            bootstrap!,
            options.Topics.KpiWindowed,
            r => KpiTableComparison.DistinctInputWindows(r) >= input.Expected.Count,
            TimeSpan.FromMinutes(5),
            "every expected window");

        var windows = KpiTableComparison.InputWindows(output);
        Assert.Equal(input.Expected.Count, windows.Count);
        Assert.Empty(KpiTableComparison.Differences(input.Expected, windows));
    }
}
