namespace KpiStream.Serialization.Avro;

/// <summary>
/// Reads a record written with exactly the mapper's own schema straight from Avro binary, without
/// a generic record in between: the hot path of ingestion. Records written with another version
/// of the schema still go through the generic, schema-resolving reader.
/// </summary>
public interface IAvroSpanReader<T>
{
    /// <summary>Reads one record from the start of <paramref name="body"/>; throws <see cref="InvalidDataException"/> on malformed input.</summary>
    /// <returns>The record and how many bytes it took.</returns>
    (T Value, int BytesRead) Read(ReadOnlySpan<byte> body);
}
