using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KpiStream.TestSupport;

/// <summary>
/// A fake of Confluent Schema Registry's REST API (register, fetch by id, look up by subject) on
/// a real HTTP port. A fake because the real registry cannot run on these machines; it follows
/// the documented endpoints, status codes and error bodies, and can fail requests on demand.
/// </summary>
public sealed class FakeSchemaRegistryServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<int, string> _schemas = new();
    private readonly ConcurrentDictionary<(string Subject, string Schema), int> _subjects = new();
    private int _nextId = 100;

    private FakeSchemaRegistryServer(WebApplication app) => _app = app;

    public Uri Url { get; private set; } = null!;

    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>Answers the next N requests with 503, to exercise retries.</summary>
    public int FailNext { get; set; }

    /// <summary>What the compatibility check answers.</summary>
    public bool Compatible { get; set; } = true;

    /// <summary>When set, answers 401 to requests without HTTP basic authentication as this <c>user:password</c>.</summary>
    public string? RequiredUserInfo { get; set; }

    public static async Task<FakeSchemaRegistryServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var server = new FakeSchemaRegistryServer(builder.Build());
        server.Map();
        await server._app.StartAsync();
        var address = server._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        server.Url = new Uri(address + "/");
        return server;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private void Map()
    {
        _app.Use(async (context, next) =>
        {
            Requests.Enqueue($"{context.Request.Method} {context.Request.Path}");
            if (RequiredUserInfo is { } userInfo && context.Request.Headers.Authorization.ToString() != "Basic " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(userInfo)))
            {
                context.Response.StatusCode = 401;
                await context.Response.WriteAsJsonAsync(new { error_code = 40101, message = "Unauthorized" });
                return;
            }

            if (FailNext > 0)
            {
                FailNext--;
                context.Response.StatusCode = 503;
                await context.Response.WriteAsJsonAsync(new { error_code = 50301, message = "injected" });
                return;
            }

            await next(context);
        });
        _app.MapPost("/subjects/{subject}/versions", async (string subject, HttpRequest request) =>
        {
            var schema = await ReadSchema(request);
            var id = _subjects.GetOrAdd((subject, schema), _ => Interlocked.Increment(ref _nextId));
            _schemas[id] = schema;
            return Results.Json(new { id });
        });
        _app.MapPost("/subjects/{subject}", async (string subject, HttpRequest request) =>
        {
            var schema = await ReadSchema(request);
            return _subjects.TryGetValue((subject, schema), out var id)
                ? Results.Json(new { subject, id, version = 1, schema })
                : Results.Json(new { error_code = 40403, message = "Schema not found" }, statusCode: 404);
        });
        _app.MapGet("/subjects/{subject}/versions", (string subject) =>
        {
            var versions = _subjects.Keys.Count(k => k.Subject == subject);
            return versions > 0
                ? Results.Json(Enumerable.Range(1, versions).ToArray())
                : Results.Json(new { error_code = 40401, message = "Subject not found" }, statusCode: 404);
        });
        _app.MapPost("/compatibility/subjects/{subject}/versions/{version}", () => Results.Json(new { is_compatible = Compatible }));
        _app.MapGet("/schemas/ids/{id:int}", (int id) =>
            _schemas.TryGetValue(id, out var schema)
                ? Results.Json(new { schema })
                : Results.Json(new { error_code = 40403, message = "Schema not found" }, statusCode: 404));
    }

    private static async Task<string> ReadSchema(HttpRequest request)
    {
        var body = await JsonNode.ParseAsync(request.Body) ?? throw new JsonException("empty body");
        return body["schema"]!.GetValue<string>();
    }
}
