using KpiStream.Serialization.Avro;
using KpiStream.Serialization.Registry;

namespace KpiStream.TestSupport;

public static class TestSchemas
{
    public static string Directory { get; } = Path.Combine(AppContext.BaseDirectory, "schemas");

    public static SchemaSet Set { get; } = SchemaSet.Load(Directory);

    public static InProcessSchemaRegistry NewRegistry() => new(Set.ByFullName.Values);
}
