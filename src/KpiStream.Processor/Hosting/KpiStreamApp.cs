using System.Text;
using KpiStream.Core.Journeys;
using KpiStream.Core.Privacy;
using KpiStream.EmbeddedKafka;
using KpiStream.Processor.Configuration;
using KpiStream.Processor.Demo;
using KpiStream.Processor.Forwarding;
using KpiStream.Processor.Kpis;
using KpiStream.Processor.Observability;
using KpiStream.Serialization.Avro;
using KpiStream.Serialization.Registry;
using KpiStream.Streaming.Provisioning;
using KpiStream.Streaming.Runtime;
using KpiStream.Streaming.Topologies;
using Microsoft.Extensions.DependencyInjection;
using Prometheus;

namespace KpiStream.Processor.Hosting;

/// <summary>Composes `kpistream run`: Kafka (embedded or external), registry, topology, metrics endpoint, demo and live view.</summary>
public static class KpiStreamApp
{
    /// <summary>Development-only key, used with the embedded cluster when none is configured.</summary>
    private const string DevelopmentPseudonymizationKey = "kpistream-development-key-not-for-production";

    public static async Task<int> RunAsync(RunOptions options, TextWriter output, CancellationToken cancellationToken)
    {
        options.Validate();
        var catalog = JourneysFile.Load(options.ConfigPath);
        var schemas = SchemaSet.Load(options.SchemasDirectory);
        StartupChecks.EnsureStateDirectoryWritable(options.StateDirectory);
        StartupChecks.EnsurePortFree(options.MetricsAddress, options.MetricsPort);

        using var embedded = options.BootstrapServers is null ? EmbeddedKafkaCluster.Start(options.EmbeddedBrokers) : null;
        var bootstrap = options.BootstrapServers ?? embedded!.BootstrapServers;
        if (embedded is not null)
        {
            output.WriteLine($"Embedded Kafka (development broker) bootstrap servers: {bootstrap}");
        }

        var builder = EndpointHost.CreateBuilder(options.MetricsAddress, options.MetricsPort);
        if (options.LiveView && !Console.IsOutputRedirected)
        {
            // The live table owns an interactive terminal; keep only what needs attention.
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
        }

        var registry = Metrics.NewCustomRegistry();
        ProcessStats.Register(registry, TimeProvider.System);
        var metrics = new KpiStreamMetrics(registry);
        var board = new LatestKpiBoard();
        // The embedded registry is reached over HTTP through Confluent's client too, so that one code path serves both.
        await using var embeddedRegistry = options.SchemaRegistryUrl is null ? await DevelopmentRegistry.StartAsync(schemas, options.Topics, options.SchemaRegistryPort, output, cancellationToken).ConfigureAwait(false) : null;
        using var schemaRegistry = new ConfluentSchemaRegistryClient(new SchemaRegistryOptions
        {
            Url = options.SchemaRegistryUrl ?? embeddedRegistry!.Url,
            Properties = options.SchemaRegistryProperties,
            AutoRegister = options.SchemaAutoRegister,
        });
        var messageMaxBytes = KafkaSizeLimits.MessageMaxBytes(options.KafkaProperties);

        // Composed once the dead-letter topic's size limit is known, after provisioning below and before the runtime is resolved.
        Topology topology = null!;
        var streamsOptions = new StreamsOptions
        {
            ApplicationId = options.ApplicationId,
            BootstrapServers = bootstrap,
            StateDirectory = options.StateDirectory,
            ClientConfig = options.KafkaProperties,
            CommitInterval = options.CommitInterval,
            StreamThreads = options.StreamThreads,
            InstanceId = options.InstanceId,
            FetchWaitMax = embedded is not null ? EmbeddedKafkaCluster.ConsumerFetchWaitMax : null,
        };

        var services = builder.Services;
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(options.Topics);
        services.AddSingleton(schemas);
        services.AddSingleton(catalog);
        services.AddSingleton(schemaRegistry);
        services.AddSingleton(board);
        services.AddSingleton(sp => new StreamsRuntime(topology, streamsOptions, metrics, TimeProvider.System, sp.GetRequiredService<ILogger<StreamsRuntime>>()));
        services.AddHostedService<StreamsHostedService>();
        if (options.LiveView)
        {
            services.AddHostedService<LiveKpiView>();
        }

        if (options.Demo is { } demo)
        {
            services.AddHostedService(sp => ActivatorUtilities.CreateInstance<DemoTrafficService>(sp, demo, ClientConfig(options, bootstrap, "demo")));
        }

        if (options.Alertmanager is { } alertmanager)
        {
            services.AddAlertForwarder(alertmanager, ClientConfig(options, bootstrap, "alert-forwarder"), options.Topics.KpiAlerts, $"{options.ApplicationId}-alert-forwarder", options.StartupTimeout, schemas, schemaRegistry, registry);
        }

        if (options.Duration is { } duration)
        {
            services.AddHostedService(sp => ActivatorUtilities.CreateInstance<DurationLimit>(sp, duration));
        }

        await using var app = builder.Build();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("KpiStream");
        ITopicProvisioner provisioner = embedded is not null
            ? new EmbeddedKafkaTopicProvisioner(embedded)
            : new AdminClientTopicProvisioner(ClientConfig(options, bootstrap, "admin"), options.StartupTimeout, app.Services.GetRequiredService<ILogger<AdminClientTopicProvisioner>>());
        await provisioner.EnsureAsync(TopicsFor(options), cancellationToken).ConfigureAwait(false);
        var deadLetterMaxBytes = Math.Min(messageMaxBytes, await provisioner.MaxMessageBytesAsync(options.Topics.DeadLetter, cancellationToken).ConfigureAwait(false) ?? int.MaxValue);
        await RegisterOutputSchemasAsync(schemaRegistry, options, schemas, cancellationToken).ConfigureAwait(false);
        topology = Compose(options with { Kpi = options.Kpi with { MaxDeadLetterBytes = deadLetterMaxBytes } }, catalog, schemas, () => schemaRegistry, metrics, board);

        var runtime = app.Services.GetRequiredService<StreamsRuntime>();
        MapEndpoints(app, registry, runtime);
        RuntimeStateMetrics.Register(registry, runtime);
        logger.LogInformation("Journeys {Journeys}; topology:{NewLine}{Topology}", string.Join(", ", catalog.Journeys.Select(j => j.Name)), Environment.NewLine, topology.Describe());
        await EndpointHost.StartAsync(app, options.MetricsPort, output, cancellationToken).ConfigureAwait(false);
        await app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
        return Environment.ExitCode;
    }

    /// <summary>
    /// Registers (or, without auto-registration, finds) the schemas of kpi.windowed, kpi.alerts and kpi.incidents
    /// before anything runs: a registry that refuses them (credentials, compatibility, a subject
    /// managed elsewhere) would otherwise fail a stream thread at its first output, long after
    /// start-up looked fine. The codecs find the ids cached.
    /// </summary>
    private static async Task RegisterOutputSchemasAsync(ConfluentSchemaRegistryClient registry, RunOptions options, SchemaSet schemas, CancellationToken cancellationToken)
    {
        try
        {
            await registry.RegisterAsync(SubjectNames.ForValue(options.Topics.KpiWindowed), schemas.KpiWindow, cancellationToken).ConfigureAwait(false);
            await registry.RegisterAsync(SubjectNames.ForValue(options.Topics.KpiAlerts), schemas.Alert, cancellationToken).ConfigureAwait(false);
            await registry.RegisterAsync(SubjectNames.ForValue(options.Topics.KpiIncidents), schemas.Incident, cancellationToken).ConfigureAwait(false);
        }
        catch (SchemaRegistryException e)
        {
            throw new StartupException($"--schema-registry-url: the output schemas could not be {(options.SchemaAutoRegister ? "registered" : "found")} at {options.SchemaRegistryUrl}: {e.Message}", e);
        }
    }

    /// <summary>
    /// The <c>-X</c> settings for a client of the host's own, with its bootstrap servers and a
    /// client id of the given role under the <c>client.id</c> prefix (the application id by default).
    /// </summary>
    private static Dictionary<string, string> ClientConfig(RunOptions options, string bootstrap, string role) =>
        new(options.KafkaProperties)
        {
            ["bootstrap.servers"] = bootstrap,
            ["client.id"] = $"{options.KafkaProperties.GetValueOrDefault("client.id", options.ApplicationId)}-{role}",
        };

    /// <summary>Every topic `run` with these options needs, internal ones included: for provisioning a broker ahead of time.</summary>
    public static IReadOnlyList<TopicSpec> TopicsFor(RunOptions options)
    {
        var schemas = SchemaSet.Load(options.SchemasDirectory);
        var topology = Compose(options, JourneysFile.Load(options.ConfigPath), schemas, () => throw new InvalidOperationException("A topology composed to list its topics runs no task."), new KpiStreamMetrics(Metrics.NewCustomRegistry()), new LatestKpiBoard());
        return AllTopics(options, topology);
    }

    private static IReadOnlyList<TopicSpec> AllTopics(RunOptions options, Topology topology) =>
        [.. options.Topics.Required(options.ApplicationId, options.InputPartitions)
            .Concat(topology.ChangelogTopics(options.ApplicationId, _ => options.InputPartitions))
            .Select(topic => topic with { ReplicationFactor = options.ReplicationFactor })];

    private static Topology Compose(RunOptions options, JourneyCatalog catalog, SchemaSet schemas, Func<ConfluentSchemaRegistryClient> registry, KpiStreamMetrics metrics, LatestKpiBoard board)
    {
        var pseudonymizer = new Pseudonymizer(Encoding.UTF8.GetBytes(options.PseudonymizationKey ?? DevelopmentPseudonymizationKey));
        return new KpiTopology(options.ApplicationId, options.Topics, catalog, schemas, registry, pseudonymizer, options.Kpi, options.InputPartitions, metrics, board).Build();
    }

    private static void MapEndpoints(WebApplication app, CollectorRegistry registry, StreamsRuntime runtime)
    {
        EndpointHost.MapMetrics(app, registry);
        app.MapGet("/healthz", () => runtime.State == StreamsState.Failed
            ? Results.Text("failed", statusCode: StatusCodes.Status503ServiceUnavailable)
            : Results.Text("ok"));
        app.MapGet("/readyz", () => Readiness.Of(runtime) is var readiness && readiness.Ready
            ? Results.Text(readiness.Text)
            : Results.Text(readiness.Text, statusCode: StatusCodes.Status503ServiceUnavailable));
    }
}
