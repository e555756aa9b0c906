using Avro;

namespace KpiStream.Serialization.Registry;

/// <summary>Where writer schemas live and get their ids; subjects follow the topic-name strategy (<c>topic-value</c>).</summary>
public interface ISchemaRegistry
{
    /// <summary>Registers <paramref name="schema"/> under <paramref name="subject"/> (idempotent) and returns its id.</summary>
    Task<int> RegisterAsync(string subject, Schema schema, CancellationToken cancellationToken = default);

    /// <summary>The schema with <paramref name="id"/>, or null when the registry does not know it.</summary>
    Task<Schema?> GetByIdAsync(int id, CancellationToken cancellationToken = default);

    /// <summary>The id of <paramref name="schema"/> under <paramref name="subject"/>, or null when not registered there.</summary>
    Task<int?> LookupAsync(string subject, Schema schema, CancellationToken cancellationToken = default);
}
