using System.Text.Json;
using System.Text.Json.Nodes;
using Avro;
using KpiStream.Serialization.Registry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace KpiStream.EmbeddedSchemaRegistry;

/// <summary>The routes of Confluent's Schema Registry REST API that clients use, over a <see cref="SchemaRegistryStore"/>. Avro only.</summary>
internal static class RegistryApi
{
    public static void Map(IEndpointRouteBuilder routes, SchemaRegistryStore store)
    {
        routes.MapGet("/", () => Ok(new { }));
        routes.MapGet("/subjects", () => Ok(store.Subjects()));
        routes.MapGet("/subjects/{subject}/versions", (string subject) =>
            store.Versions(subject) is { } versions ? Ok(versions) : RegistryErrors.SubjectNotFound(subject));
        routes.MapGet("/subjects/{subject}/versions/{version}", (string subject, string version) =>
            WithVersion(store, subject, version, found => Ok(Registered(found))));
        routes.MapGet("/schemas/ids/{id}", (string id) =>
            int.TryParse(id, out var number) && store.SchemaById(number) is { } schema
                ? Ok(new { schema = schema.ToString() })
                : RegistryErrors.SchemaNotFound($"id {id}"));
        routes.MapPost("/subjects/{subject}/versions", (string subject, HttpRequest request) => WithSchemaAsync(request, schema =>
        {
            var registration = store.Register(subject, schema);
            return registration.Id is { } id ? Ok(new { id }) : RegistryErrors.Incompatible(subject, registration.Refusal!);
        }));
        routes.MapPost("/subjects/{subject}", (string subject, HttpRequest request) => WithSchemaAsync(request, schema =>
            store.Versions(subject) is null ? RegistryErrors.SubjectNotFound(subject)
            : store.Lookup(subject, schema) is { } found ? Ok(Registered(found))
            : RegistryErrors.SchemaNotFound("not under this subject")));
        routes.MapPost("/compatibility/subjects/{subject}/versions/{version}", (string subject, string version, HttpRequest request) => WithSchemaAsync(request, schema =>
            WithVersion(store, subject, version, found =>
                store.Incompatibility(subject, schema, found.Version) is { } reason
                    ? Ok(new { is_compatible = false, messages = new[] { reason } })
                    : Ok(new { is_compatible = true }))));
        routes.MapGet("/config", () => Level(store.Compatibility));
        routes.MapPut("/config", async (HttpRequest request) =>
            await SetLevelAsync(request, level => store.Compatibility = level).ConfigureAwait(false));
        routes.MapGet("/config/{subject}", (string subject, bool? defaultToGlobal) =>
            store.SubjectCompatibility(subject) is { } level ? Level(level)
            : defaultToGlobal == true ? Level(store.Compatibility)
            : RegistryErrors.SubjectCompatibilityNotConfigured(subject));
        routes.MapPut("/config/{subject}", async (string subject, HttpRequest request) =>
            await SetLevelAsync(request, level => store.SetSubjectCompatibility(subject, level)).ConfigureAwait(false));
    }

    private static IResult WithVersion(SchemaRegistryStore store, string subject, string version, Func<SubjectVersion, IResult> answer)
    {
        int? number = null;
        if (version != "latest")
        {
            if (!int.TryParse(version, out var parsed) || parsed < 1)
            {
                return RegistryErrors.InvalidVersion(version);
            }

            number = parsed;
        }

        if (store.Versions(subject) is null)
        {
            return RegistryErrors.SubjectNotFound(subject);
        }

        return store.Version(subject, number) is { } found ? answer(found) : RegistryErrors.VersionNotFound(subject, version);
    }

    private static object Registered(SubjectVersion found) => new { subject = found.Subject, id = found.Id, version = found.Version, schema = found.Schema.ToString() };

    // Confluent's registry answers a read with "compatibilityLevel" and a write with "compatibility"; some clients read one, some the other.
    private static IResult Level(CompatibilityLevel level) => Ok(new { compatibilityLevel = level.Name(), compatibility = level.Name() });

    private static async Task<IResult> SetLevelAsync(HttpRequest request, Action<CompatibilityLevel> set)
    {
        string? name;
        try
        {
            name = (await JsonNode.ParseAsync(request.Body).ConfigureAwait(false))?["compatibility"]?.GetValue<string>();
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            name = null;
        }

        if (!CompatibilityLevelNames.TryParse(name, out var level))
        {
            return RegistryErrors.InvalidCompatibilityLevel(name);
        }

        set(level);
        return Ok(new { compatibility = level.Name() });
    }

    /// <summary>The answer to a request whose body holds an Avro schema, or the 422 answer saying what is wrong with the body.</summary>
    private static async Task<IResult> WithSchemaAsync(HttpRequest request, Func<Schema, IResult> answer)
    {
        var (schema, invalid) = await ReadSchemaAsync(request).ConfigureAwait(false);
        return schema is null ? invalid! : answer(schema);
    }

    /// <summary>The Avro schema of a request body <c>{"schema": "...", "schemaType": "AVRO"}</c>, or the 422 answer saying what is wrong with it.</summary>
    private static async Task<(Schema? Schema, IResult? Invalid)> ReadSchemaAsync(HttpRequest request)
    {
        try
        {
            var body = await JsonNode.ParseAsync(request.Body).ConfigureAwait(false);
            var type = body?["schemaType"]?.GetValue<string>() ?? "AVRO";
            if (!string.Equals(type, "AVRO", StringComparison.OrdinalIgnoreCase))
            {
                return (null, RegistryErrors.InvalidSchema($"schemaType {type} is not served here; this registry holds Avro schemas only"));
            }

            if (body?["schema"]?.GetValue<string>() is not { } text)
            {
                return (null, RegistryErrors.InvalidSchema("the request has no \"schema\" field"));
            }

            // Apache.Avro answers some unknown type names with null rather than an exception.
            return Schema.Parse(text) is { } schema ? (schema, null) : (null, RegistryErrors.InvalidSchema($"not an Avro schema: {text}"));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Apache.Avro's parser throws several types at malformed text; any of them is the request's fault.
            return (null, RegistryErrors.InvalidSchema(e.Message));
        }
    }

    private static IResult Ok(object value) => Results.Json(value, contentType: RegistryContent.Type);
}
