using System.CommandLine;
using KpiStream.Processor.Configuration;
using KpiStream.Processor.Conventions;
using KpiStream.Processor.Demo;
using KpiStream.Processor.Hosting;
using KpiStream.Processor.Kpis;
using KpiStream.Streaming.Provisioning;

namespace KpiStream.Processor.Cli;

/// <summary>`kpistream run`: the processor.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var config = CliOptions.Config();
        var bootstrap = new Option<string?>("--bootstrap-servers") { Description = "Kafka bootstrap servers; without it an embedded development cluster is started." };
        var registryUrl = CliOptions.HttpUrl("--schema-registry-url", "Confluent Schema Registry URL; without it the embedded registry serves schemas/.");
        var registryPort = CliOptions.SchemaRegistryPort();
        var metricsPort = new Option<int>("--metrics-port") { Description = "Port of /metrics, /healthz and /readyz (0 picks a free one).", DefaultValueFactory = _ => 9464 };
        var metricsAddress = CliOptions.IpAddress("--metrics-address", "Address /metrics, /healthz and /readyz listen on, e.g. 127.0.0.1 (default: every address of the machine).");
        var demo = new Option<bool>("--demo") { Description = "Produce built-in demo traffic with event time sped up." };
        var duration = CliOptions.Duration("--duration", "Stop after this long (e.g. 60s) and exit 0.");
        var startupTimeout = CliOptions.StartupTimeout("the Kafka cluster to answer");
        var grace = CliOptions.Duration("--grace", "How long after a window's end late records are still counted (default 30s).");
        var idleAdvanceAfter = CliOptions.Duration("--idle-advance-after", "How long an input partition may be silent before its stream time follows the wall clock (lagging by as much), so windows close when traffic stops (default 30s).");
        var rollups = CliOptions.Durations("--rollup-windows", "Longer windows summed from minute windows and written to kpi.windowed too (default 5m,1h; none for minutes only).");
        var commitInterval = CliOptions.Duration("--commit-interval", "Longest time between transactions committing outputs, state and input positions while records flow; a drained input commits sooner, at most every 100ms (default 500ms; 10ms to 1m).");
        var streamThreads = new Option<int>("--stream-threads")
        {
            Description = "Stream threads, each a consumer-group member with its own tasks; more use more cores for the same partitions (default 1; 1 to 64).",
            DefaultValueFactory = _ => 1,
        };
        var deadLetterPayloads = new Option<string>("--dead-letter-payloads")
        {
            Description = "What a dead letter keeps of a record that cannot be decoded (and so cannot have its personal fields pseudonymized): keep (as it came, for replay) or drop (only the reason and source).",
            DefaultValueFactory = _ => "keep",
        };
        deadLetterPayloads.AcceptOnlyFromAmong("keep", "drop");
        var brokers = CliOptions.Brokers();
        var partitions = CliOptions.Partitions();
        var replicationFactor = new Option<short>("--replication-factor")
        {
            Description = "Replicas of every topic KpiStream creates: outputs, changelogs, the repartition topic, inputs (default -1: the cluster's default.replication.factor; 1 to 16).",
            DefaultValueFactory = _ => TopicSpec.BrokerDefault,
        };
        var applicationId = new Option<string>("--application-id") { Description = "Consumer group and internal topic prefix.", DefaultValueFactory = _ => "kpistream" };
        var instanceId = new Option<string?>("--instance-id") { Description = "Static group membership: a stable id unique to this instance (e.g. the pod name), so a restart within the session timeout resumes its tasks without a rebalance." };
        var noLiveView = new Option<bool>("--no-live-view") { Description = "Do not print the live KPI table." };
        var (kafkaProperties, kafkaConfig) = CliOptions.KafkaSettings();
        var (registryProperties, registryConfig) = CliOptions.RegistrySettings();
        var noAutoRegister = new Option<bool>("--no-schema-auto-register") { Description = "Do not register the output schemas at the Schema Registry (a production registry whose subjects are managed elsewhere): they must be there already, or start-up stops naming the subject." };
        var topicPrefix = new Option<string>("--topic-prefix") { Description = "Prefix of every input and output topic name.", DefaultValueFactory = _ => "" };
        var stateDir = new Option<string?>("--state-dir") { Description = "Directory of the tasks' RocksDB stores (default: a folder in the temp directory)." };
        var speedUp = new Option<double>("--demo-speed-up") { Description = "Demo event time per wall-clock time.", DefaultValueFactory = _ => 60 };
        var startBehind = CliOptions.Duration("--demo-start-behind", "How far behind the wall clock demo event time starts; it runs sped up until it catches up, then keeps to the wall clock (default 24h).");
        var seed = new Option<int>("--demo-seed") { Description = "Seed of the demo traffic.", DefaultValueFactory = _ => 42 };
        var scenario = new Option<string>("--scenario")
        {
            Description = $"Fault the demo injects: {string.Join(", ", DemoScenario.All.Select(s => s.Name))}.",
            DefaultValueFactory = _ => DemoScenario.HealthyName,
        };
        scenario.AcceptOnlyFromAmong([.. DemoScenario.All.Select(s => s.Name)]);
        var alertmanager = CliOptions.Alertmanager();
        var command = new Command("run", "Run the KPI processor.")
        {
            config, bootstrap, registryUrl, registryPort, registryProperties, registryConfig, noAutoRegister, metricsPort, metricsAddress, demo, duration, startupTimeout, grace, idleAdvanceAfter, rollups, brokers, partitions, replicationFactor, applicationId, instanceId, noLiveView, stateDir, kafkaProperties, kafkaConfig, topicPrefix, commitInterval, streamThreads, deadLetterPayloads, speedUp, startBehind, seed, scenario,
            alertmanager.Urls, alertmanager.ResendInterval, alertmanager.Config,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var defaults = new RunOptions();
            var options = defaults with
            {
                ConfigPath = ConfigPath.Resolve(parse.GetValue(config)!),
                BootstrapServers = parse.GetValue(bootstrap),
                SchemaRegistryUrl = parse.GetValue(registryUrl),
                SchemaRegistryPort = parse.GetValue(registryPort),
                SchemaAutoRegister = !parse.GetValue(noAutoRegister),
                SchemaRegistryProperties = CliOptions.RegistrySettings(parse, (registryProperties, registryConfig)),
                MetricsPort = parse.GetValue(metricsPort),
                MetricsAddress = parse.GetValue(metricsAddress),
                Duration = parse.GetValue(duration),
                Alertmanager = CliOptions.Alertmanager(parse, alertmanager),
                StartupTimeout = parse.GetValue(startupTimeout) ?? defaults.StartupTimeout,
                EmbeddedBrokers = parse.GetValue(brokers),
                InputPartitions = parse.GetValue(partitions),
                ReplicationFactor = parse.GetValue(replicationFactor),
                ApplicationId = parse.GetValue(applicationId)!,
                InstanceId = parse.GetValue(instanceId),
                LiveView = !parse.GetValue(noLiveView),
                StateDirectory = parse.GetValue(stateDir) ?? defaults.StateDirectory,
                Topics = TopicNames.WithPrefix(parse.GetValue(topicPrefix)!),
                CommitInterval = parse.GetValue(commitInterval) ?? defaults.CommitInterval,
                StreamThreads = parse.GetValue(streamThreads),
                KafkaProperties = CliOptions.KafkaSettings(parse, (kafkaProperties, kafkaConfig)),
                PseudonymizationKey = Environment.GetEnvironmentVariable(RunOptions.PseudonymizationKeyVariable),
                Demo = parse.GetValue(demo) ? new DemoOptions
                {
                    SpeedUp = parse.GetValue(speedUp),
                    StartBehindNow = parse.GetValue(startBehind) ?? new DemoOptions().StartBehindNow,
                    Seed = parse.GetValue(seed),
                    Scenario = DemoScenario.Find(parse.GetValue(scenario)!)!,
                } : null,
                Kpi = defaults.Kpi with
                {
                    Grace = parse.GetValue(grace) ?? defaults.Kpi.Grace,
                    IdleAdvanceAfter = parse.GetValue(idleAdvanceAfter) ?? defaults.Kpi.IdleAdvanceAfter,
                    RollupWindows = parse.GetValue(rollups) is { } list && DurationText.TryParseList(list, out var sizes) ? sizes : defaults.Kpi.RollupWindows,
                    UndecodablePayloads = parse.GetValue(deadLetterPayloads) == "drop" ? DeadLetterPayloads.Drop : DeadLetterPayloads.Keep,
                },
            };
            return await KpiStreamApp.RunAsync(options, Console.Out, cancellationToken);
        });
        return command;
    }
}
