using System.Net;
using Avro;
using Avro.Generic;
using Confluent.Kafka;
using Confluent.SchemaRegistry;
using Confluent.SchemaRegistry.Serdes;
using KpiStream.EmbeddedSchemaRegistry;
using KpiStream.Serialization.Registry;
using KpiStream.TestSupport;
using ConfluentSchema = Confluent.SchemaRegistry.Schema;

namespace KpiStream.UnitTests.Serialization;

/// <summary>The embedded registry over real HTTP, asked by Confluent's own client and serdes, which share no code with it.</summary>
public sealed class EmbeddedSchemaRegistryServerTests : IAsyncLifetime
{
    private const string Subject = "orders-value";
    private static readonly string V1 = Record("""{"name":"id","type":"string"}""");
    private static readonly string V2 = Record("""{"name":"id","type":"string"},{"name":"note","type":["null","string"],"default":null}""");
    private static readonly string Breaking = Record("""{"name":"id","type":"string"},{"name":"count","type":"int"}""");

    private EmbeddedSchemaRegistryServer _server = null!;
    private CachedSchemaRegistryClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await EmbeddedSchemaRegistryServer.StartAsync(new SchemaRegistryStore(TestSchemas.Set.ByFullName.Values), new IPEndPoint(IPAddress.Loopback, 0));
        _client = new CachedSchemaRegistryClient(new SchemaRegistryConfig { Url = _server.Url.ToString() });
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Confluents_client_registers_versions_reads_them_back_and_looks_them_up()
    {
        var id1 = await _client.RegisterSchemaAsync(Subject, new ConfluentSchema(V1, SchemaType.Avro));
        var id2 = await _client.RegisterSchemaAsync(Subject, new ConfluentSchema(V2, SchemaType.Avro));

        Assert.Equal(SchemaRegistryStore.IdOf(Avro.Schema.Parse(V1)), id1);
        Assert.Equal([1, 2], await _client.GetSubjectVersionsAsync(Subject));
        Assert.Contains(Subject, await _client.GetAllSubjectsAsync());
        var latest = await _client.GetLatestSchemaAsync(Subject);
        Assert.Equal((Subject, 2, id2), (latest.Subject, latest.Version, latest.Id));
        Assert.Equal(Avro.Schema.Parse(V1).ToString(), (await _client.GetSchemaAsync(id1)).SchemaString);
        Assert.Equal(1, (await _client.LookupSchemaAsync(Subject, new ConfluentSchema(V1, SchemaType.Avro), ignoreDeletedSchemas: true)).Version);
        Assert.Equal(2, (await _client.GetRegisteredSchemaAsync(Subject, 2)).Version);
    }

    [Fact]
    public async Task A_schema_that_breaks_backward_compatibility_is_refused_with_confluents_409()
    {
        await _client.RegisterSchemaAsync(Subject, new ConfluentSchema(V1, SchemaType.Avro));
        Assert.False(await _client.IsCompatibleAsync(Subject, new ConfluentSchema(Breaking, SchemaType.Avro)));
        Assert.True(await _client.IsCompatibleAsync(Subject, new ConfluentSchema(V2, SchemaType.Avro)));

        var refused = await Assert.ThrowsAsync<Confluent.SchemaRegistry.SchemaRegistryException>(() => _client.RegisterSchemaAsync(Subject, new ConfluentSchema(Breaking, SchemaType.Avro)));
        Assert.Equal((HttpStatusCode.Conflict, 409), (refused.Status, refused.ErrorCode));
        Assert.Contains("incompatible with an earlier schema for subject \"orders-value\"", refused.Message, StringComparison.Ordinal);
        Assert.Equal([1], await _client.GetSubjectVersionsAsync(Subject));

        // Once the subject allows it, the same schema is a new version.
        Assert.Equal(Compatibility.None, await _client.UpdateCompatibilityAsync(Compatibility.None, Subject));
        await _client.RegisterSchemaAsync(Subject, new ConfluentSchema(Breaking, SchemaType.Avro));
        Assert.Equal([1, 2], await _client.GetSubjectVersionsAsync(Subject));
        Assert.Equal(Compatibility.Backward, await _client.GetCompatibilityAsync());
    }

    [Fact]
    public async Task What_is_not_there_answers_confluents_error_codes()
    {
        var unknownId = await Assert.ThrowsAsync<Confluent.SchemaRegistry.SchemaRegistryException>(() => _client.GetSchemaAsync(424_242));
        Assert.Equal((HttpStatusCode.NotFound, 40403), (unknownId.Status, unknownId.ErrorCode));
        var unknownSubject = await Assert.ThrowsAsync<Confluent.SchemaRegistry.SchemaRegistryException>(() => _client.GetSubjectVersionsAsync("nothing-value"));
        Assert.Equal((HttpStatusCode.NotFound, 40401), (unknownSubject.Status, unknownSubject.ErrorCode));
        await _client.RegisterSchemaAsync(Subject, new ConfluentSchema(V1, SchemaType.Avro));
        var unknownVersion = await Assert.ThrowsAsync<Confluent.SchemaRegistry.SchemaRegistryException>(() => _client.GetRegisteredSchemaAsync(Subject, 7));
        Assert.Equal((HttpStatusCode.NotFound, 40402), (unknownVersion.Status, unknownVersion.ErrorCode));
        var notAvro = await Assert.ThrowsAsync<Confluent.SchemaRegistry.SchemaRegistryException>(() => _client.RegisterSchemaAsync(Subject, new ConfluentSchema("{\"type\":\"recrod\"}", SchemaType.Avro)));
        Assert.Equal(((HttpStatusCode)422, 42201), (notAvro.Status, notAvro.ErrorCode));
    }

    [Fact]
    public async Task Confluents_avro_serializer_and_deserializer_round_trip_a_kpistream_schema_through_it()
    {
        var schema = (RecordSchema)Avro.Schema.Parse(File.ReadAllText(Path.Combine(TestSchemas.Directory, "deployment-marker.avsc")));
        var record = new GenericRecord(schema);
        foreach (var field in schema.Fields)
        {
            record.Add(field.Name, field.Schema.Tag switch
            {
                Avro.Schema.Type.String => "v-" + field.Name,
                Avro.Schema.Type.Logical => new DateTime(2026, 12, 1, 8, 30, 0, DateTimeKind.Utc),
                _ => null,
            });
        }

        var context = new SerializationContext(MessageComponentType.Value, "deployments");
        var bytes = await new AvroSerializer<GenericRecord>(_client).SerializeAsync(record, context);
        var back = await new AvroDeserializer<GenericRecord>(_client).DeserializeAsync(bytes, isNull: false, context);

        Assert.Equal(SchemaRegistryStore.IdOf(schema), System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(1)));
        Assert.All(schema.Fields, f => Assert.Equal(record[f.Name], back[f.Name]));
        Assert.Equal([1], await _client.GetSubjectVersionsAsync("deployments-value"));
    }

    private static string Record(string fields) => $$"""{"type":"record","name":"Order","namespace":"test","fields":[{{fields}}]}""";
}
