namespace KpiStream.Core.Events;

/// <summary>A service version that started serving traffic.</summary>
public sealed record DeploymentMarker(
    string DeployId,
    string Service,
    string Version,
    DateTimeOffset DeployedAt,
    string? Region,
    string? Author,
    string? Description);
