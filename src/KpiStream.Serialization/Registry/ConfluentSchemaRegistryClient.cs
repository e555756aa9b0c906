using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Serialization;
using Avro;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace KpiStream.Serialization.Registry;

/// <summary>
/// Client of the Confluent Schema Registry REST API. Schemas are immutable per id, so lookups
/// are cached for the life of the process; each call retries transient failures with a timeout
/// per attempt.
/// </summary>
public sealed class ConfluentSchemaRegistryClient : ISchemaRegistry, IDisposable
{
    private const string ContentType = "application/vnd.schemaregistry.v1+json";
    private readonly HttpClient _http;
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;
    private readonly ConcurrentDictionary<int, Schema> _byId = new();
    private readonly ConcurrentDictionary<(string Subject, string Schema), int> _ids = new();

    public ConfluentSchemaRegistryClient(SchemaRegistryOptions options, HttpMessageHandler? handler = null, TimeProvider? timeProvider = null)
    {
        options.Validate();
        _http = new HttpClient(handler ?? new SocketsHttpHandler(), disposeHandler: true)
        {
            BaseAddress = options.Url,
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _pipeline = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = timeProvider ?? TimeProvider.System }
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = options.MaxRetries,
                Delay = options.RetryBaseDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = new PredicateBuilder<HttpResponseMessage>()
                    .Handle<HttpRequestException>()
                    .Handle<TimeoutRejectedException>()
                    .HandleResult(r => r.StatusCode == HttpStatusCode.TooManyRequests || (int)r.StatusCode >= 500),
            })
            .AddTimeout(options.AttemptTimeout)
            .Build();
    }

    public async Task<int> RegisterAsync(string subject, Schema schema, CancellationToken cancellationToken = default)
    {
        var text = schema.ToString();
        if (_ids.TryGetValue((subject, text), out var cached))
        {
            return cached;
        }

        var reply = await SendAsync<IdReply>(HttpMethod.Post, $"subjects/{Uri.EscapeDataString(subject)}/versions", new SchemaBody(text), cancellationToken)
            ?? throw new SchemaRegistryException($"Registry answered 404 when registering under subject '{subject}'.");
        _ids[(subject, text)] = reply.Id;
        _byId.TryAdd(reply.Id, schema);
        return reply.Id;
    }

    public async Task<Schema?> GetByIdAsync(int id, CancellationToken cancellationToken = default)
    {
        if (_byId.TryGetValue(id, out var cached))
        {
            return cached;
        }

        var reply = await SendAsync<SchemaBody>(HttpMethod.Get, $"schemas/ids/{id}", null, cancellationToken);
        if (reply is null)
        {
            return null;
        }

        var schema = Schema.Parse(reply.Schema);
        _byId.TryAdd(id, schema);
        return schema;
    }

    public async Task<int?> LookupAsync(string subject, Schema schema, CancellationToken cancellationToken = default)
    {
        var text = schema.ToString();
        if (_ids.TryGetValue((subject, text), out var cached))
        {
            return cached;
        }

        var reply = await SendAsync<IdReply>(HttpMethod.Post, $"subjects/{Uri.EscapeDataString(subject)}", new SchemaBody(text), cancellationToken);
        if (reply is null)
        {
            return null;
        }

        _ids[(subject, text)] = reply.Id;
        return reply.Id;
    }

    public void Dispose() => _http.Dispose();

    /// <returns>The decoded body, or null on 404 (unknown subject, schema or id).</returns>
    private async Task<T?> SendAsync<T>(HttpMethod method, string path, SchemaBody? body, CancellationToken cancellationToken)
        where T : class
    {
        using var response = await _pipeline.ExecuteAsync(
            async ct =>
            {
                using var request = new HttpRequestMessage(method, path);
                request.Headers.Accept.ParseAdd(ContentType);
                if (body is not null)
                {
                    request.Content = JsonContent.Create(body, mediaType: new(ContentType));
                }

                return await _http.SendAsync(request, ct).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);

        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        if (!response.IsSuccessStatusCode)
        {
            var error = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            throw new SchemaRegistryException($"{method} {path} failed with {(int)response.StatusCode}: {error}");
        }

        return await response.Content.ReadFromJsonAsync<T>(cancellationToken).ConfigureAwait(false)
            ?? throw new SchemaRegistryException($"{method} {path} returned an empty body.");
    }

    private sealed record SchemaBody([property: JsonPropertyName("schema")] string Schema);

    private sealed record IdReply([property: JsonPropertyName("id")] int Id);
}
