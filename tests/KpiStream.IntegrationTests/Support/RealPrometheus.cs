using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using KpiStream.TestSupport;

namespace KpiStream.IntegrationTests.Support;

/// <summary>
/// A Prometheus server (Debian's prometheus, installed by make test-deps) on a free loopback port, scraping one target
/// every second and evaluating the given rule files, its data in a temporary directory.
/// </summary>
public sealed class RealPrometheus : IDisposable
{
    private readonly Process _process;
    private readonly string _directory;
    private readonly HttpClient _http;

    private RealPrometheus(Process process, string directory, Uri url)
    {
        _process = process;
        _directory = directory;
        _http = new HttpClient { BaseAddress = url };
    }

    public static async Task<RealPrometheus> StartAsync(string target, params string[] ruleFiles)
    {
        var directory = Directory.CreateTempSubdirectory("kpistream-prometheus-").FullName;
        File.WriteAllText(Path.Combine(directory, "prometheus.yml"), $"""
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            rule_files: [{string.Join(", ", ruleFiles.Select(f => $"'{f}'"))}]
            scrape_configs:
              - job_name: kpistream
                static_configs:
                  - targets: ['{target}']
            """);
        var port = Polling.FreePort();
        var start = new ProcessStartInfo("prometheus") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { $"--config.file={directory}/prometheus.yml", $"--storage.tsdb.path={directory}/data", $"--web.listen-address=127.0.0.1:{port}" })
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var prometheus = new RealPrometheus(process, directory, new Uri($"http://127.0.0.1:{port}/"));
        await Polling.UntilAsync(prometheus.ReadyAsync, TimeSpan.FromSeconds(30));
        return prometheus;
    }

    /// <summary>The result of an instant query through the HTTP API: one element per series (empty when none).</summary>
    public async Task<IReadOnlyList<JsonElement>> QueryAsync(string promql)
    {
        var answer = await _http.GetFromJsonAsync<JsonElement>($"api/v1/query?query={Uri.EscapeDataString(promql)}");
        if (answer.GetProperty("status").GetString() != "success")
        {
            throw new InvalidOperationException($"{promql}: {answer}");
        }

        return [.. answer.GetProperty("data").GetProperty("result").EnumerateArray()];
    }

    /// <summary>The rule groups Prometheus loaded, as its API lists them.</summary>
    public async Task<JsonElement> RulesAsync() => (await _http.GetFromJsonAsync<JsonElement>("api/v1/rules")).GetProperty("data");

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
