using Avro;

namespace KpiStream.Serialization.Registry;

/// <summary>
/// The data of a schema registry: schemas by id, subjects as lists of versions, and compatibility
/// levels, with Confluent's rules (a schema already under a subject is not added again; a new
/// version must be compatible as the subject's level says). Ids come from the schema's Avro parsing
/// fingerprint, so the same schema gets the same id in every process and every run without
/// coordination. Thread-safe; no I/O.
/// </summary>
public sealed class SchemaRegistryStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<int, Schema> _byId = [];
    private readonly Dictionary<string, List<int>> _subjects = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CompatibilityLevel> _subjectLevels = new(StringComparer.Ordinal);
    private CompatibilityLevel _level = CompatibilityLevel.Backward;

    /// <param name="knownSchemas">Schemas whose ids resolve before anyone registers them (the files of <c>schemas/</c>), so that records framed with them decode.</param>
    public SchemaRegistryStore(IEnumerable<Schema> knownSchemas)
    {
        foreach (var schema in knownSchemas)
        {
            _byId[IdOf(schema)] = schema;
        }
    }

    public static int IdOf(Schema schema) => IdOf(SchemaNormalization.ParsingFingerprint64(schema));

    private static int IdOf(long fingerprint) => (int)(fingerprint & 0x7FFF_FFFF);

    /// <summary>The level of subjects without one of their own; BACKWARD, as in Confluent's registry.</summary>
    public CompatibilityLevel Compatibility
    {
        get { lock (_lock) { return _level; } }
        set { lock (_lock) { _level = value; } }
    }

    public CompatibilityLevel? SubjectCompatibility(string subject)
    {
        lock (_lock)
        {
            return _subjectLevels.TryGetValue(subject, out var level) ? level : null;
        }
    }

    public void SetSubjectCompatibility(string subject, CompatibilityLevel level)
    {
        lock (_lock)
        {
            _subjectLevels[subject] = level;
        }
    }

    public Schema? SchemaById(int id)
    {
        lock (_lock)
        {
            return _byId.GetValueOrDefault(id);
        }
    }

    public IReadOnlyList<string> Subjects()
    {
        lock (_lock)
        {
            return [.. _subjects.Keys.Order(StringComparer.Ordinal)];
        }
    }

    /// <summary>The subject's version numbers (1, 2, ...), or null when the subject does not exist.</summary>
    public IReadOnlyList<int>? Versions(string subject)
    {
        lock (_lock)
        {
            return _subjects.TryGetValue(subject, out var ids) ? [.. Enumerable.Range(1, ids.Count)] : null;
        }
    }

    /// <summary>A version of the subject (null for the latest), or null when the subject or version does not exist.</summary>
    public SubjectVersion? Version(string subject, int? version)
    {
        lock (_lock)
        {
            if (!_subjects.TryGetValue(subject, out var ids))
            {
                return null;
            }

            var number = version ?? ids.Count;
            return number >= 1 && number <= ids.Count ? new SubjectVersion(subject, number, ids[number - 1], _byId[ids[number - 1]]) : null;
        }
    }

    /// <summary>The version of the subject that holds <paramref name="schema"/>, or null.</summary>
    public SubjectVersion? Lookup(string subject, Schema schema)
    {
        var id = IdOf(schema);
        lock (_lock)
        {
            if (!_subjects.TryGetValue(subject, out var ids))
            {
                return null;
            }

            var index = ids.IndexOf(id);
            return index < 0 ? null : new SubjectVersion(subject, index + 1, id, _byId[id]);
        }
    }

    public Registration Register(string subject, Schema schema)
    {
        var fingerprint = SchemaNormalization.ParsingFingerprint64(schema);
        var id = IdOf(fingerprint);
        lock (_lock)
        {
            if (_byId.TryGetValue(id, out var existing) && SchemaNormalization.ParsingFingerprint64(existing) != fingerprint)
            {
                return Registration.Refused($"schema id {id} would collide between {existing.Fullname} and {schema.Fullname}");
            }

            var ids = _subjects.GetValueOrDefault(subject);
            if (ids is not null && ids.Contains(id))
            {
                return Registration.Registered(id);
            }

            if (ids is not null && Incompatibility(subject, schema, ids, ids.Count) is { } reason)
            {
                return Registration.Refused(reason);
            }

            _byId[id] = schema;
            (ids ??= _subjects[subject] = []).Add(id);
            return Registration.Registered(id);
        }
    }

    /// <summary>
    /// Why <paramref name="schema"/> is not compatible with the subject at its level, checked against
    /// <paramref name="version"/> (null for the latest) or, for transitive levels, every version; null when it is.
    /// Null for a subject or version that does not exist too: there is nothing to be incompatible with.
    /// </summary>
    public string? Incompatibility(string subject, Schema schema, int? version = null)
    {
        lock (_lock)
        {
            return _subjects.TryGetValue(subject, out var ids) ? Incompatibility(subject, schema, ids, version ?? ids.Count) : null;
        }
    }

    private string? Incompatibility(string subject, Schema schema, List<int> ids, int version)
    {
        var level = _subjectLevels.TryGetValue(subject, out var own) ? own : _level;
        if (level == CompatibilityLevel.None || version < 1 || version > ids.Count)
        {
            return null;
        }

        var transitive = level is CompatibilityLevel.BackwardTransitive or CompatibilityLevel.ForwardTransitive or CompatibilityLevel.FullTransitive;
        var backward = level is not (CompatibilityLevel.Forward or CompatibilityLevel.ForwardTransitive);
        var forward = level is not (CompatibilityLevel.Backward or CompatibilityLevel.BackwardTransitive);
        foreach (var number in transitive ? Enumerable.Range(1, ids.Count).Reverse() : [version])
        {
            var earlier = _byId[ids[number - 1]];
            if (backward && !schema.CanRead(earlier))
            {
                return $"the new schema cannot read data written with version {number} ({level.Name()}): a field it adds has no default, or a type changed";
            }

            if (forward && !earlier.CanRead(schema))
            {
                return $"version {number} cannot read data written with the new schema ({level.Name()}): a field it removes has no default, or a type changed";
            }
        }

        return null;
    }
}
