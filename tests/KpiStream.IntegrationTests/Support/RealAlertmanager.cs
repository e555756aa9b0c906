using System.Net.Http.Json;
using System.Text.Json;

namespace KpiStream.IntegrationTests.Support;

/// <summary>
/// Prometheus' Alertmanager (Debian's prometheus-alertmanager, installed by make test-deps) on a free loopback port,
/// clustering off, its state in a temporary directory, routing everything to a receiver that notifies no one.
/// </summary>
public sealed class RealAlertmanager : IDisposable
{
    private const string Config = """
        route:
          receiver: nobody
          group_by: [journey, incident]
        receivers:
          - name: nobody
        """;

    private readonly ServerProcess _server;

    private RealAlertmanager(ServerProcess server) => _server = server;

    public Uri Url => _server.Http.BaseAddress!;

    public static async Task<RealAlertmanager> StartAsync()
    {
        var directory = Directory.CreateTempSubdirectory("kpistream-alertmanager-").FullName;
        File.WriteAllText(Path.Combine(directory, "alertmanager.yml"), Config);
        return new RealAlertmanager(await ServerProcess.StartAsync(
            "prometheus-alertmanager",
            directory,
            port => [$"--config.file={directory}/alertmanager.yml", $"--storage.path={directory}/data", $"--web.listen-address=127.0.0.1:{port}", "--cluster.listen-address="]));
    }

    /// <summary>The alerts Alertmanager holds as active (firing, not resolved), as its API v2 lists them.</summary>
    public async Task<IReadOnlyList<JsonElement>> ActiveAlertsAsync() =>
        [.. (await _server.Http.GetFromJsonAsync<JsonElement>("api/v2/alerts?active=true")).EnumerateArray()];

    /// <summary>The groups Alertmanager notifies about, each with its group labels and alerts, as its API v2 lists them.</summary>
    public async Task<IReadOnlyList<JsonElement>> GroupsAsync() =>
        [.. (await _server.Http.GetFromJsonAsync<JsonElement>("api/v2/alerts/groups")).EnumerateArray()];

    public void Dispose() => _server.Dispose();
}
