using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace KpiStream.Processor.Hosting;

/// <summary>
/// The web host each long-running command serves /metrics, /healthz and /readyz from (`run`, `alerts forward`):
/// one listening rule, one log format, one metrics endpoint, one way to report the port it got.
/// </summary>
internal static class EndpointHost
{
    /// <param name="address">Null listens on every address of the machine.</param>
    public static WebApplicationBuilder CreateBuilder(IPAddress? address, int port)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.WebHost.ConfigureKestrel(k =>
        {
            if (address is not null)
            {
                k.Listen(address, port);
            }
            else
            {
                k.ListenAnyIP(port);
            }
        });
        builder.Logging.ClearProviders().AddSimpleConsole(c =>
        {
            c.SingleLine = true;
            c.TimestampFormat = "HH:mm:ss ";
        });
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        return builder;
    }

    public static void MapMetrics(WebApplication app, CollectorRegistry registry) =>
        app.MapGet("/metrics", async context =>
        {
            context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
            await registry.CollectAndExportAsTextAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
        });

    /// <summary>Starts the host and prints the line "Metrics on URL/metrics" that names the port it got (tests read it).</summary>
    public static async Task StartAsync(WebApplication app, int port, TextWriter output, CancellationToken cancellationToken)
    {
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            // Taken since the check at start-up.
            throw new StartupException($"--metrics-port: cannot listen on port {port} ({e.Message}).", e);
        }

        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        output.WriteLine($"Metrics on {string.Join(", ", addresses.Select(a => $"{a}/metrics"))}");
    }
}
