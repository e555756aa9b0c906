using Microsoft.AspNetCore.Http;

namespace KpiStream.EmbeddedSchemaRegistry;

/// <summary>Confluent Schema Registry's error answers: HTTP status, <c>error_code</c> and message, as its clients parse them.</summary>
internal static class RegistryErrors
{
    public static IResult SubjectNotFound(string subject) => Error(404, 40401, $"Subject '{subject}' not found.");

    public static IResult VersionNotFound(string subject, string version) => Error(404, 40402, $"Version {version} not found for subject '{subject}'.");

    public static IResult SchemaNotFound(string what) => Error(404, 40403, $"Schema {what} not found.");

    public static IResult SubjectCompatibilityNotConfigured(string subject) => Error(404, 40408, $"Subject '{subject}' does not have subject-level compatibility configured.");

    public static IResult Incompatible(string subject, string reason) => Error(409, 409, $"Schema being registered is incompatible with an earlier schema for subject \"{subject}\", details: [{reason}]");

    public static IResult InvalidSchema(string reason) => Error(422, 42201, $"Invalid schema: {reason}");

    public static IResult InvalidVersion(string version) => Error(422, 42202, $"The specified version '{version}' is not a valid version id. Allowed values are between [1, 2^31-1] and the string \"latest\"");

    public static IResult InvalidCompatibilityLevel(string? level) => Error(422, 42203, $"Invalid compatibility level '{level}'. Valid values are NONE, BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL, FULL_TRANSITIVE.");

    public static IResult Error(int status, int code, string message) =>
        Results.Json(new { error_code = code, message }, contentType: RegistryContent.Type, statusCode: status);
}
