using System.Net.Http.Json;
using Polly;
using Polly.Retry;

namespace KpiStream.Processor.Forwarding;

/// <summary>Posts alerts to one Alertmanager's API v2, retrying a failed post with backoff before it gives up until the next round.</summary>
public sealed class AlertmanagerClient(HttpClient http, Uri alertmanager, AlertmanagerCredentials? credentials, TimeProvider clock)
{
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = clock }
        .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
        {
            MaxRetryAttempts = 3,
            Delay = TimeSpan.FromMilliseconds(500),
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            // A 4xx is the request's fault and will not change; anything else may pass on a later try.
            ShouldHandle = new PredicateBuilder<HttpResponseMessage>()
                .Handle<HttpRequestException>()
                .Handle<TaskCanceledException>()
                .HandleResult(r => (int)r.StatusCode >= 500),
        })
        .Build();

    public Uri Url { get; } = alertmanager;

    /// <returns>Null when Alertmanager took them, else why not.</returns>
    public async Task<string?> PostAsync(IReadOnlyList<AlertmanagerAlert> alerts, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _pipeline.ExecuteAsync(
                async token =>
                {
                    // A message per try: one that has been sent cannot be sent again.
                    using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Url, "api/v2/alerts")) { Content = JsonContent.Create(alerts) };
                    request.Headers.Authorization = credentials?.Header;
                    return await http.SendAsync(request, token).ConfigureAwait(false);
                },
                cancellationToken).ConfigureAwait(false);
            return response.IsSuccessStatusCode
                ? null
                : $"{(int)response.StatusCode} {response.ReasonPhrase}: {await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false)}";
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return Reasons(e);
        }
    }

    // "The SSL connection could not be established, see inner exception" says nothing without the inner one (an untrusted root, a name mismatch).
    private static string Reasons(Exception e) =>
        e.InnerException is { } inner ? $"{e.Message.Replace(", see inner exception.", "", StringComparison.Ordinal).TrimEnd('.')}: {Reasons(inner)}" : e.Message;
}
