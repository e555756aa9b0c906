using System.Net;
using KpiStream.Processor.Configuration;
using KpiStream.Processor.Conventions;
using KpiStream.Processor.Demo;
using KpiStream.Processor.Forwarding;
using KpiStream.Processor.Kpis;
using KpiStream.Streaming.Provisioning;
using KpiStream.Streaming.Runtime;

namespace KpiStream.Processor.Hosting;

/// <summary>Everything `kpistream run` needs, as parsed from the command line.</summary>
public sealed record RunOptions
{
    /// <summary>Environment variables of librdkafka settings: <c>KPISTREAM_KAFKA_SASL_PASSWORD</c> is <c>sasl.password</c>.</summary>
    public const string KafkaVariablePrefix = "KPISTREAM_KAFKA_";

    /// <summary>Environment variables of Schema Registry client settings: <c>KPISTREAM_SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO</c> is <c>basic.auth.user.info</c>.</summary>
    public const string SchemaRegistryVariablePrefix = "KPISTREAM_SCHEMA_REGISTRY_";

    public const string PseudonymizationKeyVariable = "KPISTREAM_PSEUDONYMIZATION_KEY";

    public string ConfigPath { get; init; } = "config/journeys.yaml";

    /// <summary>Null runs the embedded development cluster.</summary>
    public string? BootstrapServers { get; init; }

    /// <summary>Null uses the embedded registry loaded from the schemas directory.</summary>
    public Uri? SchemaRegistryUrl { get; init; }

    /// <summary>Port of the embedded registry on the loopback address; null picks a free one. Only without <see cref="SchemaRegistryUrl"/>.</summary>
    public int? SchemaRegistryPort { get; init; }

    /// <summary>Settings of Confluent's Schema Registry client (<c>-S</c>, <c>--schema-registry-config</c>); only with <see cref="SchemaRegistryUrl"/>.</summary>
    public IReadOnlyDictionary<string, string> SchemaRegistryProperties { get; init; } = new Dictionary<string, string>();

    /// <summary>Whether the output schemas may be registered at the Schema Registry; off, they must be there already.</summary>
    public bool SchemaAutoRegister { get; init; } = true;

    public string SchemasDirectory { get; init; } = Path.Combine(AppContext.BaseDirectory, "schemas");

    public int MetricsPort { get; init; } = 9464;

    /// <summary>The address /metrics, /healthz and /readyz listen on; null for every address of the machine.</summary>
    public IPAddress? MetricsAddress { get; init; }

    /// <summary>Where tasks keep their RocksDB stores; rebuilt from changelogs on start, so it may be ephemeral.</summary>
    public string StateDirectory { get; init; } = Path.Combine(Path.GetTempPath(), "kpistream-state");

    public string ApplicationId { get; init; } = "kpistream";

    /// <summary>Static group membership: each stream thread joins as <c>InstanceId-thread</c>; null joins dynamically.</summary>
    public string? InstanceId { get; init; }

    public int EmbeddedBrokers { get; init; } = 1;

    /// <summary>Partitions of the input and repartition topics when KpiStream creates them.</summary>
    public int InputPartitions { get; init; } = 6;

    /// <summary>Replicas of every topic KpiStream creates; <see cref="TopicSpec.BrokerDefault"/> leaves it to the cluster.</summary>
    public short ReplicationFactor { get; init; } = TopicSpec.BrokerDefault;

    public TimeSpan? Duration { get; init; }

    /// <summary>Alertmanagers the in-process forwarder sends kpi.alerts to (<c>--alertmanager-url</c>); null runs no forwarder.</summary>
    public AlertmanagerOptions? Alertmanager { get; init; }

    /// <summary>How long start-up waits for an external cluster to answer before it gives up with exit code 1.</summary>
    public TimeSpan StartupTimeout { get; init; } = Hosting.StartupTimeout.Default;

    /// <summary>Longest time between commits of outputs, state changes and input positions while records flow.</summary>
    public TimeSpan CommitInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Stream threads, each a consumer-group member with its own tasks.</summary>
    public int StreamThreads { get; init; } = 1;

    public DemoOptions? Demo { get; init; }

    /// <summary>Show the live KPI table on standard output.</summary>
    public bool LiveView { get; init; } = true;

    /// <summary>Key for pseudonymizing user ids; required with an external cluster.</summary>
    public string? PseudonymizationKey { get; init; }

    /// <summary>librdkafka settings passed to every Kafka client (SASL, TLS, timeouts).</summary>
    public IReadOnlyDictionary<string, string> KafkaProperties { get; init; } = new Dictionary<string, string>();

    public TopicNames Topics { get; init; } = new();

    public KpiOptions Kpi { get; init; } = new();

    public void Validate()
    {
        if (SchemaRegistryProperties.Count > 0 && SchemaRegistryUrl is null)
        {
            throw new ArgumentException($"-S: Schema Registry settings (-S, --schema-registry-config or {SchemaRegistryVariablePrefix}*) given without --schema-registry-url; the embedded registry takes none.");
        }

        if (!SchemaAutoRegister && SchemaRegistryUrl is null)
        {
            throw new ArgumentException("--no-schema-auto-register: given without --schema-registry-url; the embedded registry always holds KpiStream's schemas.");
        }

        if (SchemaRegistryPort is { } registryPort && (SchemaRegistryUrl is not null || registryPort is < 0 or > 65535))
        {
            throw new ArgumentException(SchemaRegistryUrl is not null
                ? "--schema-registry-port: is the port of the embedded registry, which does not run with --schema-registry-url."
                : $"--schema-registry-port: expected 0 (any free port) to 65535, got {registryPort}.");
        }

        if (MetricsPort is < 0 or > 65535)
        {
            throw new ArgumentException($"--metrics-port: expected 0 (any free port) to 65535, got {MetricsPort}.");
        }

        ValidateCluster(EmbeddedBrokers, InputPartitions);
        if (ReplicationFactor is not TopicSpec.BrokerDefault and (< 1 or > MaxReplicationFactor))
        {
            throw new ArgumentException($"--replication-factor: expected 1 to {MaxReplicationFactor}, or -1 for the cluster's default.replication.factor, got {ReplicationFactor}.");
        }

        if (BootstrapServers is null && ReplicationFactor > EmbeddedBrokers)
        {
            throw new ArgumentException($"--replication-factor: the embedded cluster has {EmbeddedBrokers} broker(s) (--brokers), too few for {ReplicationFactor} replicas.");
        }

        if (StreamThreads is < 1 or > StreamsOptions.MaxStreamThreads)
        {
            throw new ArgumentException($"--stream-threads: expected 1 to {StreamsOptions.MaxStreamThreads}, got {StreamThreads}.");
        }

        if (CommitInterval < TimeSpan.FromMilliseconds(10) || CommitInterval > TimeSpan.FromMinutes(1))
        {
            throw new ArgumentException($"--commit-interval: expected 10ms to 1m, got {DurationText.Format(CommitInterval)}.");
        }

        Hosting.StartupTimeout.Validate(StartupTimeout);

        if (Duration is { } d && d <= TimeSpan.Zero)
        {
            throw new ArgumentException($"--duration: expected a positive duration, got {DurationText.Format(d)}.");
        }

        if (BootstrapServers is not null && string.IsNullOrWhiteSpace(PseudonymizationKey))
        {
            throw new ArgumentException($"With --bootstrap-servers set, a pseudonymization key is required: set {PseudonymizationKeyVariable} to at least 16 characters.");
        }

        if (PseudonymizationKey is { Length: < 16 })
        {
            throw new ArgumentException($"{PseudonymizationKeyVariable}: expected at least 16 characters.");
        }

        KafkaNames.Require(ApplicationId, "--application-id");
        KafkaNames.Require(TopicNames.Repartition(ApplicationId), "--application-id");
        foreach (var topic in new[] { Topics.DomainEvents, Topics.ServiceTelemetry, Topics.Deployments, Topics.KpiWindowed, Topics.KpiAlerts, Topics.KpiIncidents, Topics.DeadLetter })
        {
            if (!KafkaNames.IsValid(topic))
            {
                throw new ArgumentException($"--topic-prefix: expected letters, digits, '.', '_' and '-', short enough that every topic name stays within {KafkaNames.MaxLength} characters, got a prefix that makes '{topic}'.");
            }
        }

        if (InstanceId is not null)
        {
            KafkaNames.Require(InstanceId, "--instance-id");
        }

        Kpi.Validate();
        Demo?.Validate();
        Alertmanager?.Validate();
        KafkaSizeLimits.MessageMaxBytes(KafkaProperties);
        KafkaClientSettings.Validate(KafkaProperties);
    }

    // More replicas than any cluster runs brokers: a typo, not a choice.
    private const short MaxReplicationFactor = 16;

    /// <summary>The embedded cluster's size, shared by `run` and `kafka`.</summary>
    public static void ValidateCluster(int brokers, int partitions)
    {
        if (brokers is < 1 or > 9)
        {
            throw new ArgumentException($"--brokers: expected 1 to 9, got {brokers}.");
        }

        if (partitions is < 1 or > 256)
        {
            throw new ArgumentException($"--partitions: expected 1 to 256, got {partitions}.");
        }
    }
}
