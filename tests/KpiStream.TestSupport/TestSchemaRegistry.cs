using System.Collections.Concurrent;
using System.Net;
using System.Text;
using KpiStream.EmbeddedSchemaRegistry;
using KpiStream.Serialization.Registry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace KpiStream.TestSupport;

/// <summary>
/// KpiStream's embedded Schema Registry, empty as a production registry is to a new application,
/// with what tests need in front of it: a log of requests, HTTP basic authentication on demand, and
/// failures on demand (503, as a registry behind a load balancer answers while it is down).
/// </summary>
public sealed class TestSchemaRegistry : IAsyncDisposable
{
    private EmbeddedSchemaRegistryServer _server = null!;
    private int _failNext;

    private TestSchemaRegistry()
    {
    }

    public Uri Url => _server.Url;

    public SchemaRegistryStore Store => _server.Store;

    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>Answers the next N requests with 503.</summary>
    public int FailNext
    {
        get => Volatile.Read(ref _failNext);
        set => Volatile.Write(ref _failNext, value);
    }

    /// <summary>While set, answers every request with 503.</summary>
    public bool Unavailable { get; set; }

    /// <summary>When set, answers 401 to requests without HTTP basic authentication as this <c>user:password</c>.</summary>
    public string? RequiredUserInfo { get; set; }

    public static async Task<TestSchemaRegistry> StartAsync()
    {
        var registry = new TestSchemaRegistry();
        registry._server = await EmbeddedSchemaRegistryServer.StartAsync(new SchemaRegistryStore([]), new IPEndPoint(IPAddress.Loopback, 0), app => app.Use(registry.FrontAsync));
        return registry;
    }

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    private async Task FrontAsync(HttpContext context, RequestDelegate next)
    {
        Requests.Enqueue($"{context.Request.Method} {context.Request.Path}");
        if (RequiredUserInfo is { } userInfo && context.Request.Headers.Authorization.ToString() != "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(userInfo)))
        {
            context.Response.StatusCode = 401;
            await context.Response.WriteAsJsonAsync(new { error_code = 40101, message = "Unauthorized" });
            return;
        }

        if (Unavailable || TakeFailure())
        {
            context.Response.StatusCode = 503;
            await context.Response.WriteAsJsonAsync(new { error_code = 50301, message = "unavailable (injected by the test)" });
            return;
        }

        await next(context);
    }

    private bool TakeFailure()
    {
        int left;
        do
        {
            left = Volatile.Read(ref _failNext);
            if (left <= 0)
            {
                return false;
            }
        }
        while (Interlocked.CompareExchange(ref _failNext, left - 1, left) != left);
        return true;
    }
}
