using System.Globalization;
using System.Text.Json;
using KpiStream.IntegrationTests.Support;
using KpiStream.TestSupport;
using Xunit.Abstractions;

namespace KpiStream.IntegrationTests;

/// <summary>
/// The Grafana dashboard shipped with the chart is never empty: a real Prometheus (Debian's) scrapes a demo with an
/// outage every second, and every query of every panel, evaluated through Prometheus' HTTP API, returns data. The same
/// Prometheus loads the health rules, which must all load and evaluate.
/// </summary>
[Collection(HeavyProcesses.Name)]
public class DashboardTests(ITestOutputHelper output)
{
    private static readonly string DashboardFile = Path.Combine(RepositoryPaths.Root, "helm", "kpistream", "files", "grafana-dashboard.json");
    private static readonly string RulesFile = Path.Combine(RepositoryPaths.Root, "helm", "kpistream", "files", "prometheus-rules.yaml");

    [Fact]
    public async Task Every_dashboard_query_returns_data_from_a_real_prometheus_scraping_a_demo()
    {
        var queries = Queries();
        Assert.True(queries.Count >= 20, $"read {queries.Count} queries");
        var port = Polling.FreePort();
        // The forwarding panels need a forwarder, and it an Alertmanager.
        using var alertmanager = await RealAlertmanager.StartAsync();
        using var process = KpiProcess.Start(["run", "--demo", "--scenario", "checkout-outage", "--demo-speed-up", "60", "--metrics-port", port.ToString(CultureInfo.InvariantCulture), "--no-live-view", "--alertmanager-url", alertmanager.Url.ToString()]);
        using var prometheus = await RealPrometheus.StartAsync($"127.0.0.1:{port}", RulesFile);

        IReadOnlyList<string> empty = [.. queries.Select(q => q.Query)];
        try
        {
            await Polling.UntilAsync(
                async () =>
                {
                    Assert.False(process.HasExited, process.LastOutput(30));
                    empty = [.. await EmptyAsync(prometheus, queries)];
                    return empty.Count == 0;
                },
                TimeSpan.FromSeconds(150),
                TimeSpan.FromSeconds(2));
        }
        catch (TimeoutException)
        {
            Assert.Fail($"panels whose query returned nothing: {string.Join("; ", empty)}");
        }

        output.WriteLine($"{queries.Count} queries of {DashboardFile} returned data");
        var groups = (await prometheus.RulesAsync()).GetProperty("groups").EnumerateArray().ToList();
        var rules = groups.SelectMany(g => g.GetProperty("rules").EnumerateArray()).ToList();
        Assert.Equal(9, rules.Count);
        Assert.All(rules, r => Assert.Equal("ok", r.GetProperty("health").GetString()));
        process.Signal(15);
        Assert.Equal(0, await process.WaitForExitAsync(TimeSpan.FromSeconds(60)));
    }

    /// <summary>Each panel's queries, with the dashboard's variables as Grafana fills them for "All" and a short range.</summary>
    private static IReadOnlyList<(string Panel, string Query)> Queries()
    {
        using var dashboard = JsonDocument.Parse(File.ReadAllText(DashboardFile));
        return [.. dashboard.RootElement.GetProperty("panels").EnumerateArray()
            .Where(p => p.GetProperty("type").GetString() != "row")
            .SelectMany(p => p.GetProperty("targets").EnumerateArray().Select(t => (p.GetProperty("title").GetString()!, t.GetProperty("expr").GetString()!)))];
    }

    private static async Task<IEnumerable<string>> EmptyAsync(RealPrometheus prometheus, IReadOnlyList<(string Panel, string Query)> queries)
    {
        var empty = new List<string>();
        foreach (var (panel, query) in queries)
        {
            var promql = query.Replace("$journey", ".*", StringComparison.Ordinal).Replace("$__rate_interval", "30s", StringComparison.Ordinal);
            if ((await prometheus.QueryAsync(promql)).Count == 0)
            {
                empty.Add($"{panel}: {query}");
            }
        }

        return empty;
    }
}
