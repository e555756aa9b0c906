using KpiStream.Processor.Forwarding;
using KpiStream.Processor.Observability;
using KpiStream.Serialization.Avro;
using KpiStream.Serialization.Registry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
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
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.WebHost.ConfigureKestrel(k =>
        {
            if (options.MetricsAddress is { } address)
            {
                k.Listen(address, options.MetricsPort);
            }
            else
            {
                k.ListenAnyIP(options.MetricsPort);
            }
        });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(c =>
        {
            c.SingleLine = true;
            c.TimestampFormat = "HH:mm:ss ";
        });
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);

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
        builder.Services.AddAlertForwarder(options.Alertmanager, clientConfig, options.Topics.KpiAlerts, options.GroupId, schemas, registry, metrics);

        await using var app = builder.Build();
        var forwarder = app.Services.GetRequiredService<AlertForwarder>();
        app.MapGet("/metrics", async context =>
        {
            context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
            await metrics.CollectAndExportAsTextAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
        });
        app.MapGet("/healthz", () => Results.Text("ok"));
        app.MapGet("/readyz", () => forwarder.CaughtUp
            ? Results.Text("ready")
            : Results.Text("catching up with kpi.alerts", statusCode: StatusCodes.Status503ServiceUnavailable));
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            throw new StartupException($"--metrics-port: cannot listen on port {options.MetricsPort} ({e.Message}).", e);
        }

        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        output.WriteLine($"Forwarding {options.Topics.KpiAlerts} to {string.Join(", ", options.Alertmanager.Urls)}; metrics on {string.Join(", ", addresses.Select(a => $"{a}/metrics"))}");
        await app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
        if (forwarder.ExecuteTask is { IsFaulted: true } failed)
        {
            // The forwarder stopped the host: its failure is the command's (one line, exit code 1).
            await failed.ConfigureAwait(false);
        }

        return 0;
    }
}
