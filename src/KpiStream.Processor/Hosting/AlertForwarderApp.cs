using KpiStream.Processor.Forwarding;
using KpiStream.Processor.Observability;
using KpiStream.Serialization.Avro;
using KpiStream.Serialization.Registry;
using Microsoft.Extensions.DependencyInjection;
using Prometheus;

namespace KpiStream.Processor.Hosting;

/// <summary>Composes `kpistream alerts forward`: the forwarder alone, with /metrics, /healthz and /readyz (ready once it has caught up with kpi.alerts).</summary>
public static class AlertForwarderApp
{
    public static async Task<int> RunAsync(ForwardOptions options, TextWriter output, CancellationToken cancellationToken)
    {
        options.Validate();
        var schemas = SchemaSet.Load(options.SchemasDirectory);
        StartupChecks.EnsurePortFree(options.MetricsAddress, options.MetricsPort);
        var builder = EndpointHost.CreateBuilder(options.MetricsAddress, options.MetricsPort);

        var metrics = Metrics.NewCustomRegistry();
        ProcessStats.Register(metrics, TimeProvider.System);
        using var registry = new ConfluentSchemaRegistryClient(new SchemaRegistryOptions
        {
            Url = options.SchemaRegistryUrl,
            Properties = options.SchemaRegistryProperties,
            AutoRegister = false,
        });
        var clientConfig = new Dictionary<string, string>(options.KafkaProperties)
        {
            ["bootstrap.servers"] = options.BootstrapServers,
            ["client.id"] = $"{options.KafkaProperties.GetValueOrDefault("client.id", options.ApplicationId)}-alert-forwarder",
        };
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddAlertForwarder(options.Alertmanager, clientConfig, options.Topics.KpiAlerts, options.GroupId, options.StartupTimeout, schemas, registry, metrics);

        await using var app = builder.Build();
        var forwarder = app.Services.GetRequiredService<AlertForwarder>();

        // Checked before anything listens, so credentials the cluster refuses or a topic that never appears end the command in one line.
        await app.Services.GetRequiredService<ForwarderConnection>().PartitionsAsync(cancellationToken).ConfigureAwait(false);
        EndpointHost.MapMetrics(app, metrics);
        app.MapGet("/healthz", () => Results.Text("ok"));
        app.MapGet("/readyz", () => forwarder.CaughtUp
            ? Results.Text("ready")
            : Results.Text("catching up with kpi.alerts", statusCode: StatusCodes.Status503ServiceUnavailable));
        output.WriteLine($"Forwarding {options.Topics.KpiAlerts} to {string.Join(", ", options.Alertmanager.Urls)}");
        await EndpointHost.StartAsync(app, options.MetricsPort, output, cancellationToken).ConfigureAwait(false);
        await app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
        if (forwarder.ExecuteTask is { IsFaulted: true } failed)
        {
            // The forwarder stopped the host: its failure is the command's (one line, exit code 1).
            await failed.ConfigureAwait(false);
        }

        return 0;
    }
}
