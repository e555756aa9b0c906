namespace KpiStream.Streaming.Processors;

/// <summary>
/// Thrown by a processor that cannot process a record yet because something outside the stream
/// that it needs is unavailable (a schema registry that is down), and that has changed no state and
/// forwarded nothing for the record. The runtime neither skips the record nor commits past it: it
/// pauses the record's partition and processes the record again after a backoff, while the thread
/// keeps polling (so it stays in its group), committing and punctuating its other tasks.
/// </summary>
/// <param name="dependency">What is unavailable, as a metric label: lower-case words joined by hyphens (<c>schema-registry</c>).</param>
public sealed class DependencyUnavailableException(string dependency, string reason) : Exception($"{dependency} unavailable: {reason}")
{
    public string Dependency { get; } = dependency;

    public string Reason { get; } = reason;
}
