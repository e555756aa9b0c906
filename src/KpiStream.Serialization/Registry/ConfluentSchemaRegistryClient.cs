using System.Collections.Concurrent;
using System.Net;
using Avro.Generic;
using Confluent.Kafka;
using Confluent.Kafka.SyncOverAsync;
using Confluent.SchemaRegistry;
using Confluent.SchemaRegistry.Serdes;
using AvroSchema = Avro.Schema;
using ConfluentError = Confluent.SchemaRegistry.SchemaRegistryException;

namespace KpiStream.Serialization.Registry;

/// <summary>
/// A Confluent Schema Registry (a production one, or the embedded one over HTTP) through Confluent's
/// own client (<see cref="CachedSchemaRegistryClient"/>: the REST protocol, caching, retries and
/// timeouts) and serializer. Kept as a class of its own only to hand the decoders Avro schemas, to
/// read a missing subject or id as null, and to hold the auto-registration setting in one place.
/// Subjects follow the topic-name strategy (<c>topic-value</c>).
/// </summary>
public sealed class ConfluentSchemaRegistryClient : IDisposable
{
    private const string Prefix = "schema.registry.";

    private readonly CachedSchemaRegistryClient _client;
    private readonly bool _autoRegister;

    // Schemas are immutable per id, and ids per subject and schema: each is asked for once (Confluent's client caches registrations, not lookups).
    private readonly ConcurrentDictionary<int, AvroSchema> _byId = new();
    private readonly ConcurrentDictionary<(string Subject, string Schema), int> _ids = new();

    public ConfluentSchemaRegistryClient(SchemaRegistryOptions options)
    {
        options.Validate();
        _autoRegister = options.AutoRegister;
        var config = new SchemaRegistryConfig
        {
            Url = options.Url.ToString(),
            RequestTimeoutMs = (int)options.AttemptTimeout.TotalMilliseconds,
            // Confluent's MaxRetries counts the first attempt too.
            MaxRetries = options.MaxRetries + 1,
            RetriesWaitMs = (int)options.RetryBaseDelay.TotalMilliseconds,
        };
        foreach (var (key, value) in options.Properties)
        {
            config.Set(key.StartsWith(Prefix, StringComparison.Ordinal) ? key : Prefix + key, value);
        }

        try
        {
            _client = new CachedSchemaRegistryClient(config);
        }
        catch (ArgumentException e)
        {
            // Confluent's message names the property; values are not repeated, as they may be secrets.
            throw new ArgumentException($"-S: Confluent's Schema Registry client refused the settings: {e.Message.TrimEnd('.')}.", e);
        }
    }

    public async Task<int> RegisterAsync(string subject, AvroSchema schema, CancellationToken cancellationToken = default)
    {
        if (!_autoRegister)
        {
            return await LookupAsync(subject, schema, cancellationToken).ConfigureAwait(false)
                ?? throw new SchemaRegistryException(await WhyMissingAsync(subject, schema, cancellationToken).ConfigureAwait(false));
        }

        var id = await Call(() => _client.RegisterSchemaAsync(subject, Of(schema)), $"registering under subject '{subject}'", cancellationToken).ConfigureAwait(false);
        _byId.TryAdd(id, schema);
        _ids[(subject, schema.ToString())] = id;
        return id;
    }

    public async Task<AvroSchema?> GetByIdAsync(int id, CancellationToken cancellationToken = default)
    {
        if (_byId.TryGetValue(id, out var cached))
        {
            return cached;
        }

        try
        {
            var schema = AvroSchema.Parse((await Call(() => _client.GetSchemaAsync(id), $"reading schema id {id}", cancellationToken).ConfigureAwait(false)).SchemaString);
            return _byId.GetOrAdd(id, schema);
        }
        catch (SchemaRegistryException e) when (e.Status == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<int?> LookupAsync(string subject, AvroSchema schema, CancellationToken cancellationToken = default)
    {
        if (_ids.TryGetValue((subject, schema.ToString()), out var known))
        {
            return known;
        }

        try
        {
            var id = (await Call(() => _client.LookupSchemaAsync(subject, Of(schema), ignoreDeletedSchemas: true), $"looking up a schema under subject '{subject}'", cancellationToken).ConfigureAwait(false)).Id;
            _ids[(subject, schema.ToString())] = id;
            return id;
        }
        catch (SchemaRegistryException e) when (e.Status == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>Confluent's Avro serializer on this registry, registering schemas only when auto-registration is on; synchronous, for sinks.</summary>
    public ISerializer<GenericRecord> Serializer() =>
        new AvroSerializer<GenericRecord>(_client, new AvroSerializerConfig { AutoRegisterSchemas = _autoRegister }).AsSyncOverAsync();

    public void Dispose() => _client.Dispose();

    /// <summary>Why a schema that is not under its subject cannot be used: what the subject holds, and the registry's judgement of the schema against it.</summary>
    private async Task<string> WhyMissingAsync(string subject, AvroSchema schema, CancellationToken cancellationToken)
    {
        List<int> versions;
        try
        {
            versions = await Call(() => _client.GetSubjectVersionsAsync(subject), $"listing the versions of subject '{subject}'", cancellationToken).ConfigureAwait(false);
        }
        catch (SchemaRegistryException e) when (e.Status == HttpStatusCode.NotFound)
        {
            versions = [];
        }

        if (versions.Count == 0)
        {
            return $"subject '{subject}' does not exist, and schemas are not registered automatically (--no-schema-auto-register); register {schema.Fullname} under it first";
        }

        var latest = versions.Max();
        var compatible = await Call(() => _client.IsCompatibleAsync(subject, Of(schema)), $"checking compatibility under subject '{subject}'", cancellationToken).ConfigureAwait(false);
        return $"subject '{subject}' holds versions up to {latest}, none of them KpiStream's {schema.Fullname}, and schemas are not registered automatically (--no-schema-auto-register); "
            + $"the registry judges it {(compatible ? "compatible" : "incompatible")} with version {latest}";
    }

    private static Schema Of(AvroSchema schema) => new(schema.ToString(), SchemaType.Avro);

    /// <summary>Runs a call of Confluent's client, its failure as one exception naming what was attempted and the registry's answer.</summary>
    private static async Task<T> Call<T>(Func<Task<T>> call, string attempt, CancellationToken cancellationToken)
    {
        try
        {
            return await call().WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ConfluentError e)
        {
            throw new SchemaRegistryException($"Schema registry failed {attempt}: {(int)e.Status} {e.Message}", e.Status, e);
        }
        catch (HttpRequestException e)
        {
            throw new SchemaRegistryException($"Schema registry failed {attempt}: {e.Message}", inner: e);
        }
    }
}
