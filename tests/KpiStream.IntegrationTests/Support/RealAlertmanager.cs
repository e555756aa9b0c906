using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using KpiStream.TestSupport;

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

    private readonly Process _process;
    private readonly string _directory;
    private readonly HttpClient _http;

    private RealAlertmanager(Process process, string directory, Uri url)
    {
        _process = process;
        _directory = directory;
        Url = url;
        _http = new HttpClient { BaseAddress = url };
    }

    public Uri Url { get; }

    public static async Task<RealAlertmanager> StartAsync()
    {
        var directory = Directory.CreateTempSubdirectory("kpistream-alertmanager-").FullName;
        File.WriteAllText(Path.Combine(directory, "alertmanager.yml"), Config);
        var port = Polling.FreePort();
        var start = new ProcessStartInfo("prometheus-alertmanager") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { $"--config.file={directory}/alertmanager.yml", $"--storage.path={directory}/data", $"--web.listen-address=127.0.0.1:{port}", "--cluster.listen-address=" })
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var alertmanager = new RealAlertmanager(process, directory, new Uri($"http://127.0.0.1:{port}/"));
        await Polling.UntilAsync(async () => await alertmanager.ReadyAsync(), TimeSpan.FromSeconds(30));
        return alertmanager;
    }

    /// <summary>The alerts Alertmanager holds as active (firing, not resolved), as its API v2 lists them.</summary>
    public async Task<IReadOnlyList<JsonElement>> ActiveAlertsAsync() =>
        [.. (await _http.GetFromJsonAsync<JsonElement>("api/v2/alerts?active=true")).EnumerateArray()];

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
        _http.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private async Task<bool> ReadyAsync()
    {
        try
        {
            return (await _http.GetAsync("-/ready")).IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }
}
