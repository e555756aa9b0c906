using Avro;

namespace KpiStream.Serialization.Avro;

/// <summary>The KpiStream schemas, loaded from the <c>*.avsc</c> files of a directory.</summary>
public sealed class SchemaSet
{
    public const string Namespace = "dev.kpistream.v1";

    private SchemaSet(IReadOnlyDictionary<string, RecordSchema> byName) => ByFullName = byName;

    public IReadOnlyDictionary<string, RecordSchema> ByFullName { get; }

    public RecordSchema DomainEvent => Named("DomainEvent");

    public RecordSchema ServiceTelemetry => Named("ServiceTelemetry");

    public RecordSchema DeploymentMarker => Named("DeploymentMarker");

    public RecordSchema KpiWindow => Named("KpiWindow");

    public RecordSchema Alert => Named("Alert");

    public RecordSchema Incident => Named("Incident");

    public static SchemaSet Load(string directory)
    {
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"Schema directory '{directory}' does not exist.");
        }

        var schemas = new Dictionary<string, RecordSchema>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(directory, "*.avsc").Order(StringComparer.Ordinal))
        {
            var parsed = Parse(file);
            schemas[parsed.Fullname] = parsed;
        }

        var set = new SchemaSet(schemas);
        foreach (var name in new[] { "DomainEvent", "ServiceTelemetry", "DeploymentMarker", "KpiWindow", "Alert", "Incident" })
        {
            _ = set.Named(name);
        }

        return set;
    }

    private static RecordSchema Parse(string file)
    {
        try
        {
            return Schema.Parse(File.ReadAllText(file)) as RecordSchema
                ?? throw new InvalidDataException($"{file}: expected an Avro record schema at the top level.");
        }
        catch (SchemaParseException e)
        {
            throw new InvalidDataException($"{file}: not a valid Avro schema: {e.Message}", e);
        }
    }

    private RecordSchema Named(string name) =>
        ByFullName.GetValueOrDefault($"{Namespace}.{name}")
        ?? throw new InvalidDataException($"Schema {Namespace}.{name} is missing from the schema directory.");
}
