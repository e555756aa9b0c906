using System.Text.Json.Serialization;

namespace KpiStream.Processor.Forwarding;

/// <summary>An alert as Alertmanager's API v2 takes it (<c>POST /api/v2/alerts</c>, a list of these).</summary>
public sealed record AlertmanagerAlert(
    [property: JsonPropertyName("labels")] IReadOnlyDictionary<string, string> Labels,
    [property: JsonPropertyName("annotations")] IReadOnlyDictionary<string, string> Annotations,
    [property: JsonPropertyName("startsAt")] DateTimeOffset StartsAt,
    [property: JsonPropertyName("endsAt")] DateTimeOffset EndsAt);
