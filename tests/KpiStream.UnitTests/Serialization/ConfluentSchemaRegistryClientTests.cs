using KpiStream.Core.Events;
using KpiStream.Serialization;
using KpiStream.Serialization.Avro;
using KpiStream.Serialization.Mapping;
using KpiStream.Serialization.Registry;
using KpiStream.TestSupport;

namespace KpiStream.UnitTests.Serialization;

public sealed class ConfluentSchemaRegistryClientTests : IAsyncLifetime
{
    private TestSchemaRegistry _server = null!;

    public async Task InitializeAsync() => _server = await TestSchemaRegistry.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Registers_looks_up_and_fetches_by_id_and_caches_what_it_learned()
    {
        using var client = NewClient();
        var schema = TestSchemas.Set.DomainEvent;

        Assert.Null(await client.LookupAsync("domain-events-value", schema));
        var id = await client.RegisterAsync("domain-events-value", schema);
        Assert.Equal(SchemaRegistryStore.IdOf(schema), id);
        Assert.Equal(id, await client.RegisterAsync("domain-events-value", schema));
        Assert.Equal(id, await client.LookupAsync("domain-events-value", schema));

        using var fresh = NewClient();
        var fetched = await fresh.GetByIdAsync(id);
        Assert.Equal(schema.Fullname, fetched!.Fullname);
        await fresh.GetByIdAsync(id);
        Assert.Null(await fresh.GetByIdAsync(999));

        Assert.Equal(
            ["POST /subjects/domain-events-value", "POST /subjects/domain-events-value/versions", $"GET /schemas/ids/{id}", "GET /schemas/ids/999"],
            _server.Requests.ToArray());
    }

    [Fact]
    public async Task Transient_server_errors_are_retried()
    {
        using var client = NewClient();
        _server.FailNext = 2;

        var id = await client.RegisterAsync("deployments-value", TestSchemas.Set.DeploymentMarker);

        Assert.Equal(SchemaRegistryStore.IdOf(TestSchemas.Set.DeploymentMarker), id);
        Assert.Equal(3, _server.Requests.Count);
    }

    [Fact]
    public async Task Errors_beyond_the_retry_budget_surface_with_the_status()
    {
        using var client = NewClient();
        _server.FailNext = 10;

        var error = await Assert.ThrowsAsync<SchemaRegistryException>(() => client.RegisterAsync("deployments-value", TestSchemas.Set.DeploymentMarker));

        Assert.Contains("503", error.Message, StringComparison.Ordinal);
        Assert.Equal(4, _server.Requests.Count);
    }

    [Fact]
    public void A_codec_on_the_rest_registry_writes_the_registry_id_into_the_wire_format()
    {
        using var client = NewClient();
        var codec = new AvroCodec<DomainEvent>(new DomainEventMapper(TestSchemas.Set.DomainEvent), client, "domain-events");
        var domainEvent = Events.Of("e1", "checkout_started", "checkout", "s1", DateTimeOffset.Parse("2026-11-23T10:00:00Z"));

        var bytes = codec.Encode(domainEvent);

        Assert.True(WireFormat.TryReadHeader(bytes, out var id));
        Assert.Equal(_server.Store.Lookup("domain-events-value", TestSchemas.Set.DomainEvent)!.Id, id);
        Assert.Equal("e1", codec.Decode(bytes).Value!.EventId);
    }

    [Fact]
    public void Options_that_cannot_work_are_refused_naming_the_setting()
    {
        var error = Assert.Throws<ArgumentException>(() => new SchemaRegistryOptions { Url = new Uri("ftp://registry:21") }.Validate());
        Assert.StartsWith("--schema-registry-url", error.Message, StringComparison.Ordinal);
    }

    private ConfluentSchemaRegistryClient NewClient() =>
        new(new SchemaRegistryOptions { Url = _server.Url, RetryBaseDelay = TimeSpan.FromMilliseconds(1), AttemptTimeout = TimeSpan.FromSeconds(5) });
}
