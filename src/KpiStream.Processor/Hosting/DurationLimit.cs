using Microsoft.Extensions.Hosting;

namespace KpiStream.Processor.Hosting;

/// <summary>Stops the host after --duration, for scripted and timed runs.</summary>
public sealed class DurationLimit(TimeSpan duration, IHostApplicationLifetime lifetime, TimeProvider clock) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Delay(duration, clock, stoppingToken).ConfigureAwait(false);
        lifetime.StopApplication();
    }
}
