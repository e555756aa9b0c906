using KpiStream.Serialization.Avro;
using KpiStream.Streaming.Processors;

namespace KpiStream.Processor.Kpis;

internal static class DecodeResults
{
    public const string SchemaRegistry = "schema-registry";

    /// <summary>The result, unless the registry was unavailable: then the record waits (the runtime tries it again later) rather than being dead-lettered.</summary>
    /// <remarks>Call before the record changes any state.</remarks>
    public static DecodeResult<T> OrWait<T>(this DecodeResult<T> result)
        where T : class =>
        result.Unavailable is { } reason ? throw new DependencyUnavailableException(SchemaRegistry, reason) : result;
}
