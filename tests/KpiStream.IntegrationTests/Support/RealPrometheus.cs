using System.Net.Http.Json;
using System.Text.Json;

namespace KpiStream.IntegrationTests.Support;

/// <summary>
/// A Prometheus server (Debian's prometheus, installed by make test-deps) on a free loopback port, scraping one target
/// every second and evaluating the given rule files, its data in a temporary directory.
/// </summary>
public sealed class RealPrometheus : IDisposable
{
    private readonly ServerProcess _server;

    private RealPrometheus(ServerProcess server) => _server = server;

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
        return new RealPrometheus(await ServerProcess.StartAsync(
            "prometheus",
            directory,
            port => [$"--config.file={directory}/prometheus.yml", $"--storage.tsdb.path={directory}/data", $"--web.listen-address=127.0.0.1:{port}"]));
    }

    /// <summary>The result of an instant query through the HTTP API: one element per series (empty when none).</summary>
    public async Task<IReadOnlyList<JsonElement>> QueryAsync(string promql)
    {
        var answer = await _server.Http.GetFromJsonAsync<JsonElement>($"api/v1/query?query={Uri.EscapeDataString(promql)}");
        if (answer.GetProperty("status").GetString() != "success")
        {
            throw new InvalidOperationException($"{promql}: {answer}");
        }

        return [.. answer.GetProperty("data").GetProperty("result").EnumerateArray()];
    }

    /// <summary>The rule groups Prometheus loaded, as its API lists them.</summary>
    public async Task<JsonElement> RulesAsync() => (await _server.Http.GetFromJsonAsync<JsonElement>("api/v1/rules")).GetProperty("data");

    public void Dispose() => _server.Dispose();
}
