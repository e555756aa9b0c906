using System.Collections.Concurrent;
using Avro;

namespace KpiStream.Serialization.Registry;

/// <summary>
/// An in-process registry. Ids are derived from the schema's Avro parsing fingerprint, so the same
/// schema gets the same id in every process and every run without coordination.
/// </summary>
public sealed class EmbeddedSchemaRegistry : ISchemaRegistry
{
    private readonly ConcurrentDictionary<int, Schema> _byId = new();
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<int, byte>> _subjects = new(StringComparer.Ordinal);

    public EmbeddedSchemaRegistry(IEnumerable<Schema> knownSchemas)
    {
        foreach (var schema in knownSchemas)
        {
            _byId[IdOf(schema)] = schema;
        }
    }

    public static int IdOf(Schema schema) => (int)(SchemaNormalization.ParsingFingerprint64(schema) & 0x7FFF_FFFF);

    public Task<int> RegisterAsync(string subject, Schema schema, CancellationToken cancellationToken = default)
    {
        var id = IdOf(schema);
        var existing = _byId.GetOrAdd(id, schema);
        if (SchemaNormalization.ParsingFingerprint64(existing) != SchemaNormalization.ParsingFingerprint64(schema))
        {
            throw new InvalidOperationException($"Schema id {id} collides between {existing.Fullname} and {schema.Fullname}.");
        }

        _subjects.GetOrAdd(subject, _ => new ConcurrentDictionary<int, byte>())[id] = 0;
        return Task.FromResult(id);
    }

    public Task<Schema?> GetByIdAsync(int id, CancellationToken cancellationToken = default) =>
        Task.FromResult(_byId.GetValueOrDefault(id));

    public Task<int?> LookupAsync(string subject, Schema schema, CancellationToken cancellationToken = default)
    {
        var id = IdOf(schema);
        return Task.FromResult(_subjects.TryGetValue(subject, out var ids) && ids.ContainsKey(id) ? id : (int?)null);
    }
}
