using System.Net;
using KpiStream.EmbeddedSchemaRegistry;
using KpiStream.Processor.Conventions;
using KpiStream.Serialization.Avro;
using KpiStream.Serialization.Registry;

namespace KpiStream.Processor.Hosting;

/// <summary>The embedded Schema Registry of `run` and `kafka` without a registry URL: KpiStream's schemas under their topics' subjects, served on the loopback address.</summary>
internal static class DevelopmentRegistry
{
    public static async Task<EmbeddedSchemaRegistryServer> StartAsync(SchemaSet schemas, TopicNames topics, int? port, TextWriter output, CancellationToken cancellationToken)
    {
        var store = new SchemaRegistryStore(schemas.ByFullName.Values);
        foreach (var (topic, schema) in new[]
        {
            (topics.DomainEvents, schemas.DomainEvent),
            (topics.ServiceTelemetry, schemas.ServiceTelemetry),
            (topics.Deployments, schemas.DeploymentMarker),
            (topics.KpiWindowed, schemas.KpiWindow),
            (topics.KpiAlerts, schemas.Alert),
            (topics.KpiIncidents, schemas.Incident),
        })
        {
            store.Register(SubjectNames.ForValue(topic), schema);
        }

        EmbeddedSchemaRegistryServer server;
        try
        {
            server = await EmbeddedSchemaRegistryServer.StartAsync(store, new IPEndPoint(IPAddress.Loopback, port ?? 0), cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            throw new StartupException($"--schema-registry-port: {e.Message}", e);
        }

        output.WriteLine($"Schema registry (embedded, development): {server.Url.ToString().TrimEnd('/')}");
        return server;
    }
}
