namespace KpiStream.Serialization.Registry;

/// <summary>The schema registry answered, but not with what the protocol promises.</summary>
public sealed class SchemaRegistryException(string message) : Exception(message);
