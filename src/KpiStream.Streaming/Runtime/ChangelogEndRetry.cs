using System.Globalization;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace KpiStream.Streaming.Runtime;

/// <summary>
/// Asks again, with backoff, when the broker cannot say where a changelog ends as a task starts restoring
/// (a broker down or a partition between leaders). The restore's reads already wait for a broker
/// that comes back; without this, one failed offset query stopped the stream thread and the process.
/// </summary>
/// <remarks>
/// It gives up after the group's <c>max.poll.interval.ms</c> (5 minutes unless configured): by then
/// the group has dropped this member and its assignment is void anyway, so failing is the honest outcome.
/// </remarks>
internal static class ChangelogEndRetry
{
    private const string MaxPollIntervalSetting = "max.poll.interval.ms";
    private static readonly TimeSpan DefaultMaxPollInterval = TimeSpan.FromMinutes(5);

    public static ResiliencePipeline Create(StreamsOptions options, TimeProvider clock, ILogger logger) =>
        new ResiliencePipelineBuilder { TimeProvider = clock }
            .AddTimeout(PatienceOf(options))
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<KafkaException>(e => !e.Error.IsFatal),
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Exponential,
                Delay = TimeSpan.FromMilliseconds(200),
                MaxDelay = TimeSpan.FromSeconds(5),
                UseJitter = true,
                OnRetry = retry =>
                {
                    logger.LogWarning(retry.Outcome.Exception, "A changelog's end offset could not be read (attempt {Attempt}); asking again in {Delay}", retry.AttemptNumber + 1, retry.RetryDelay);
                    return default;
                },
            })
            .Build();

    private static TimeSpan PatienceOf(StreamsOptions options) =>
        options.ClientConfig.TryGetValue(MaxPollIntervalSetting, out var text) && int.TryParse(text, CultureInfo.InvariantCulture, out var ms) && ms > 0
            ? TimeSpan.FromMilliseconds(ms)
            : DefaultMaxPollInterval;
}
