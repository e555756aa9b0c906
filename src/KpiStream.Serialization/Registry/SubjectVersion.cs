using Avro;

namespace KpiStream.Serialization.Registry;

/// <summary>One version of a subject: the schema registered as it, and the schema's id.</summary>
public sealed record SubjectVersion(string Subject, int Version, int Id, Schema Schema);
