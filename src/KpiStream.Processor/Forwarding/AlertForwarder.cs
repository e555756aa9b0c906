using Confluent.Kafka;
using KpiStream.Core.Slos;
using KpiStream.Serialization.Avro;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KpiStream.Processor.Forwarding;

/// <summary>
/// Sends kpi.alerts to Alertmanager. It reads the topic from its beginning on every start
/// (read_committed), which rebuilds the set of firing alerts, so a restart neither loses a page
/// nor raises one again; once it has caught up, it sends every firing alert at each resend interval
/// (as Prometheus does, so Alertmanager never resolves one by itself), and each change at once. The
/// processor's hot path is not involved: this is a consumer of the output topic like any other.
/// </summary>
public sealed partial class AlertForwarder(
    ForwarderConnection connection,
    AvroCodec<SloAlert> codec,
    AlertmanagerOptions options,
    ForwarderMetrics metrics,
    TimeProvider clock,
    ILogger<AlertForwarder> logger) : BackgroundService
{
    private readonly ForwardedAlerts _alerts = new(options.Urls, options.MaxPendingResolutions);
    private readonly SemaphoreSlim _changed = new(0);
    private readonly TaskCompletionSource _caughtUp = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Whether it has read what kpi.alerts held when it started, so it knows which alerts fire.</summary>
    public bool CaughtUp => _caughtUp.Task.IsCompleted;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        metrics.Started(options.Urls, clock.GetUtcNow());
        var partitions = await connection.PartitionsAsync(stoppingToken).ConfigureAwait(false);

        // The consumer blocks its thread; the sender waits on changes and the interval.
        var consuming = Task.Factory.StartNew(() => Consume(partitions, stoppingToken), stoppingToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        var clients = options.Urls.Select(url => new AlertmanagerClient(connection.Http, url, options.Credentials, clock)).ToList();
        try
        {
            await Task.WhenAny(_caughtUp.Task, consuming).WaitAsync(stoppingToken).ConfigureAwait(false);
            if (CaughtUp)
            {
                LogCaughtUp(_alerts.Firing);
            }

            // A consumer that has failed (the topic gone, credentials refused) ends the forwarder rather than leave it sending stale alerts.
            while (!stoppingToken.IsCancellationRequested && !consuming.IsCompleted)
            {
                await Task.WhenAll(clients.Select(c => SendAsync(c, stoppingToken))).ConfigureAwait(false);
                metrics.Holding(_alerts.Firing, _alerts.Pending);
                await _changed.WaitAsync(options.ResendInterval, stoppingToken).ConfigureAwait(false);
                // Changes come in bursts (an alert and its incident's others at one minute end): one post for them all.
                await Task.Delay(TimeSpan.FromMilliseconds(200), clock, stoppingToken).ConfigureAwait(false);
                while (_changed.CurrentCount > 0)
                {
                    await _changed.WaitAsync(stoppingToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        await consuming.ConfigureAwait(false);
    }

    private async Task SendAsync(AlertmanagerClient client, CancellationToken cancellationToken)
    {
        var owed = _alerts.Owed(client.Url);
        var now = clock.GetUtcNow();
        var failure = await client.PostAsync([.. owed.Select(a => AlertmanagerMapping.For(a, now, options.ResendInterval))], cancellationToken).ConfigureAwait(false);
        if (failure is null)
        {
            _alerts.Delivered(client.Url, owed);
            metrics.Sent(client.Url, owed.Count, clock.GetUtcNow());
            return;
        }

        metrics.Failed(client.Url);
        LogSendFailed(client.Url, owed.Count, failure);
    }

    private void Consume(IReadOnlyList<TopicPartition> partitions, CancellationToken stoppingToken)
    {
        using var consumer = connection.CreateConsumer();
        consumer.Assign(partitions.Select(p => new TopicPartitionOffset(p, Offset.Beginning)));
        var atEnd = new HashSet<TopicPartition>();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var result = consumer.Consume(TimeSpan.FromMilliseconds(500));
                if (result is null)
                {
                    continue;
                }

                if (result.IsPartitionEOF)
                {
                    atEnd.Add(result.TopicPartition);
                    if (atEnd.Count == partitions.Count)
                    {
                        _caughtUp.TrySetResult();
                    }

                    continue;
                }

                if (Decode(result, stoppingToken) is { } alert)
                {
                    var now = clock.GetUtcNow();
                    // Resolutions of long ago are not news to Alertmanager; those that came while no forwarder ran are.
                    var deliver = CaughtUp || (alert.EndedAt ?? now) >= now - options.ResolvedLookback;
                    metrics.Dropped(_alerts.Observe(alert, deliver));
                    if (CaughtUp)
                    {
                        _changed.Release();
                    }
                }

                consumer.StoreOffset(result);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            consumer.Close();
        }
    }

    /// <summary>The record's alert; null for one that does not decode (logged, counted, skipped). Waits while the registry is unavailable.</summary>
    private SloAlert? Decode(ConsumeResult<byte[]?, byte[]?> result, CancellationToken stoppingToken)
    {
        while (true)
        {
            var decoded = codec.Decode(result.Message.Value);
            if (decoded.Value is { } alert)
            {
                return alert;
            }

            if (decoded.Unavailable is not { } unavailable)
            {
                metrics.Skipped();
                LogSkipped(result.TopicPartitionOffset.ToString(), decoded.Rejection?.Detail ?? "no value");
                return null;
            }

            LogRegistryUnavailable(unavailable);
            stoppingToken.WaitHandle.WaitOne(TimeSpan.FromSeconds(2));
            stoppingToken.ThrowIfCancellationRequested();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Alert forwarder caught up with kpi.alerts: {Firing} alert(s) firing")]
    private partial void LogCaughtUp(int firing);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alertmanager {Url} did not take {Count} alert(s), sending again next round: {Failure}")]
    private partial void LogSendFailed(Uri url, int count, string failure);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Skipped kpi.alerts record at {Position}: {Reason}")]
    private partial void LogSkipped(string position, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Schema Registry unavailable while decoding kpi.alerts, retrying: {Reason}")]
    private partial void LogRegistryUnavailable(string reason);
}
