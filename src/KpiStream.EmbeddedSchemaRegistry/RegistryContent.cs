namespace KpiStream.EmbeddedSchemaRegistry;

internal static class RegistryContent
{
    /// <summary>The media type Confluent's registry answers with; its clients also accept <c>application/json</c>.</summary>
    public const string Type = "application/vnd.schemaregistry.v1+json";
}
