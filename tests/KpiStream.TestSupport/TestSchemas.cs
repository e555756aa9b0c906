using System.Net;
using KpiStream.EmbeddedSchemaRegistry;
using KpiStream.Serialization.Avro;
using KpiStream.Serialization.Registry;

namespace KpiStream.TestSupport;

public static class TestSchemas
{
    public static string Directory { get; } = Path.Combine(AppContext.BaseDirectory, "schemas");

    public static SchemaSet Set { get; } = SchemaSet.Load(Directory);

    // One embedded registry on the loopback address for the whole test run, as a producer's registry is to a processor.
    private static readonly Lazy<EmbeddedSchemaRegistryServer> SharedRegistry = new(() =>
        EmbeddedSchemaRegistryServer.StartAsync(new SchemaRegistryStore(Set.ByFullName.Values), new IPEndPoint(IPAddress.Loopback, 0)).GetAwaiter().GetResult());

    /// <summary>The URL of the test run's shared embedded registry, which knows every schema in <see cref="Set"/> by its id.</summary>
    public static Uri RegistryUrl => SharedRegistry.Value.Url;

    /// <summary>A client of the shared registry. Its ids are those of any KpiStream registry (the schema's fingerprint), so what it frames decodes in a processor with its own registry.</summary>
    public static ConfluentSchemaRegistryClient NewRegistry() => new(new SchemaRegistryOptions { Url = RegistryUrl });
}
