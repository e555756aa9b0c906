using Avro;

namespace KpiStream.Serialization.Registry;

/// <summary>
/// A registry inside the process, over a <see cref="SchemaRegistryStore"/>: for tests and tools that
/// frame records without a registry to reach. Its ids are the store's, so records it frames decode
/// through any KpiStream registry that knows the same schemas.
/// </summary>
public sealed class InProcessSchemaRegistry(SchemaRegistryStore store) : ISchemaRegistry
{
    public InProcessSchemaRegistry(IEnumerable<Schema> knownSchemas)
        : this(new SchemaRegistryStore(knownSchemas))
    {
    }

    public Task<int> RegisterAsync(string subject, Schema schema, CancellationToken cancellationToken = default)
    {
        var registration = store.Register(subject, schema);
        return registration.Id is { } id
            ? Task.FromResult(id)
            : Task.FromException<int>(new SchemaRegistryException($"Subject '{subject}' refused {schema.Fullname}: {registration.Refusal}", System.Net.HttpStatusCode.Conflict));
    }

    public Task<Schema?> GetByIdAsync(int id, CancellationToken cancellationToken = default) => Task.FromResult(store.SchemaById(id));

    public Task<int?> LookupAsync(string subject, Schema schema, CancellationToken cancellationToken = default) =>
        Task.FromResult(store.Lookup(subject, schema)?.Id);
}
