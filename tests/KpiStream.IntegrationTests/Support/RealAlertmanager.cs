using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace KpiStream.IntegrationTests.Support;

/// <summary>
/// Prometheus' Alertmanager (Debian's prometheus-alertmanager, installed by make test-deps) on a free loopback port,
/// clustering off, its state in a temporary directory, routing everything to a receiver that notifies no one; on request
/// secured as production ones are: TLS with a certificate of a private CA (<see cref="CaFile"/>), and HTTP basic auth,
/// which its web config then requires of every request, the API included.
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

    private RealAlertmanager(ServerProcess server, string? caFile) => (_server, CaFile) = (server, caFile);

    public Uri Url => _server.Http.BaseAddress!;

    /// <summary>The PEM file of the authority that signed a secured Alertmanager's certificate.</summary>
    public string? CaFile { get; }

    public static async Task<RealAlertmanager> StartAsync(bool secured = false)
    {
        var directory = Directory.CreateTempSubdirectory("kpistream-alertmanager-").FullName;
        File.WriteAllText(Path.Combine(directory, "alertmanager.yml"), Config);
        string[] web = [];
        string? caFile = null;
        if (secured)
        {
            (caFile, var certificate, var key) = PrivateCertificateAuthority.Write(directory);
            File.WriteAllText(
                Path.Combine(directory, "web.yml"),
                $"tls_server_config:\n  cert_file: {certificate}\n  key_file: {key}\nbasic_auth_users:\n  {User}: {PasswordHash}\n");
            web = [$"--web.config.file={directory}/web.yml"];
        }

        var server = await ServerProcess.StartAsync(
            "prometheus-alertmanager",
            directory,
            port => [$"--config.file={directory}/alertmanager.yml", $"--storage.path={directory}/data", $"--web.listen-address=127.0.0.1:{port}", "--cluster.listen-address=", .. web],
            secured ? new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{Password}"))) : null,
            https: secured);
        return new RealAlertmanager(server, caFile);
    }

    /// <summary>The alerts Alertmanager holds as active (firing, not resolved), as its API v2 lists them.</summary>
    public async Task<IReadOnlyList<JsonElement>> ActiveAlertsAsync() =>
        [.. (await _server.Http.GetFromJsonAsync<JsonElement>("api/v2/alerts?active=true")).EnumerateArray()];

    /// <summary>The groups Alertmanager notifies about, each with its group labels and alerts, as its API v2 lists them.</summary>
    public async Task<IReadOnlyList<JsonElement>> GroupsAsync() =>
        [.. (await _server.Http.GetFromJsonAsync<JsonElement>("api/v2/alerts/groups")).EnumerateArray()];

    public void Dispose() => _server.Dispose();
}
