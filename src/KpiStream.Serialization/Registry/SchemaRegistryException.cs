using System.Net;

namespace KpiStream.Serialization.Registry;

/// <summary>The schema registry could not be asked, or did not answer with what was asked for.</summary>
/// <param name="Status">The registry's HTTP status, when it answered.</param>
public sealed class SchemaRegistryException(string message, HttpStatusCode? status = null, Exception? inner = null) : Exception(message, inner)
{
    public HttpStatusCode? Status { get; } = status;
}
