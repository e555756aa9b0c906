using System.Net;
using KpiStream.Serialization.Registry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KpiStream.EmbeddedSchemaRegistry;

/// <summary>
/// A Schema Registry for development: the part of Confluent's REST API that clients use, served
/// over HTTP from a <see cref="SchemaRegistryStore"/>, so that any registry-aware client (Confluent's
/// serdes in any language) reads and writes KpiStream's topics on the embedded Kafka. In memory: it
/// lives as long as the process, like the embedded cluster, and its ids are the same in every run.
/// </summary>
public sealed class EmbeddedSchemaRegistryServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private EmbeddedSchemaRegistryServer(WebApplication app, SchemaRegistryStore store)
    {
        _app = app;
        Store = store;
    }

    public SchemaRegistryStore Store { get; }

    /// <summary>The base URL clients are given (<c>http://127.0.0.1:PORT/</c>).</summary>
    public Uri Url { get; private set; } = null!;

    /// <param name="endpoint">Where to listen; port 0 picks a free one.</param>
    /// <param name="front">Middleware placed before the API, for tests that make the registry fail or require credentials.</param>
    public static async Task<EmbeddedSchemaRegistryServer> StartAsync(SchemaRegistryStore store, IPEndPoint endpoint, Action<IApplicationBuilder>? front = null, CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.WebHost.ConfigureKestrel(k => k.Listen(endpoint));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        front?.Invoke(app);
        RegistryApi.Map(app, store);
        var server = new EmbeddedSchemaRegistryServer(app, store);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw new IOException($"Schema registry: cannot listen on {endpoint} ({e.Message}).", e);
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Url = new Uri(address.TrimEnd('/') + "/");
        return server;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync().ConfigureAwait(false);
}
