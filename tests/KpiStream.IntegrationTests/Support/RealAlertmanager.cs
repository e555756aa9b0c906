using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace KpiStream.IntegrationTests.Support;

/// <summary>
/// Prometheus' Alertmanager (Debian's prometheus-alertmanager, installed by make test-deps) on a free loopback port,
/// clustering off, its state in a temporary directory, routing everything to a receiver that notifies no one; on request
/// behind HTTP basic auth, which its web config then requires of every request, the API included.
/// </summary>
public sealed class RealAlertmanager : IDisposable
{
    public const string User = "kpistream";
    public const string Password = "pager-Pa55";

    // Password hashed with bcrypt (cost 4), as the web config takes it; made once with Debian's python3-bcrypt.
    private const string PasswordHash = "$2b$04$dEsafEsTjUxfN9MCb1g5ZeIrY7dh.pnDL2oYrlupDYKGEZEnGzsDK";

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

    public static async Task<RealAlertmanager> StartAsync(bool requireBasicAuth = false)
    {
        var directory = Directory.CreateTempSubdirectory("kpistream-alertmanager-").FullName;
        File.WriteAllText(Path.Combine(directory, "alertmanager.yml"), Config);
        string[] web = [];
        if (requireBasicAuth)
        {
            File.WriteAllText(Path.Combine(directory, "web.yml"), $"basic_auth_users:\n  {User}: {PasswordHash}\n");
            web = [$"--web.config.file={directory}/web.yml"];
        }

        return new RealAlertmanager(await ServerProcess.StartAsync(
            "prometheus-alertmanager",
            directory,
            port => [$"--config.file={directory}/alertmanager.yml", $"--storage.path={directory}/data", $"--web.listen-address=127.0.0.1:{port}", "--cluster.listen-address=", .. web],
            requireBasicAuth ? new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{Password}"))) : null));
    }

    /// <summary>The alerts Alertmanager holds as active (firing, not resolved), as its API v2 lists them.</summary>
    public async Task<IReadOnlyList<JsonElement>> ActiveAlertsAsync() =>
        [.. (await _server.Http.GetFromJsonAsync<JsonElement>("api/v2/alerts?active=true")).EnumerateArray()];

    /// <summary>The groups Alertmanager notifies about, each with its group labels and alerts, as its API v2 lists them.</summary>
    public async Task<IReadOnlyList<JsonElement>> GroupsAsync() =>
        [.. (await _server.Http.GetFromJsonAsync<JsonElement>("api/v2/alerts/groups")).EnumerateArray()];

    public void Dispose() => _server.Dispose();
}
