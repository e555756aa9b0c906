using KpiStream.Streaming.Runtime;
using Microsoft.Extensions.Hosting;

namespace KpiStream.Processor.Hosting;

/// <summary>Runs the streams runtime for the life of the host and stops the host if the runtime fails.</summary>
public sealed class StreamsHostedService(StreamsRuntime runtime, IHostApplicationLifetime lifetime) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await runtime.RunAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (Exception) when (!stoppingToken.IsCancellationRequested)
        {
            Environment.ExitCode = 1;
            lifetime.StopApplication();
        }
    }
}
