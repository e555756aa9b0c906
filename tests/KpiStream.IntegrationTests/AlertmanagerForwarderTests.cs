using System.Globalization;
using System.Text.Json;
using KpiStream.IntegrationTests.Support;
using KpiStream.TestSupport;
using Xunit.Abstractions;

namespace KpiStream.IntegrationTests;

/// <summary>
/// kpi.alerts reach a real Alertmanager (Debian's prometheus-alertmanager): from `run --alertmanager-url` in-process,
/// and from `kpistream alerts forward` as a process of its own that is killed and restarted mid-outage. The demo's
/// checkout-outage pages within minutes of event time and resolves about 50 minutes later (20 minutes of fault, then
/// the 30-minute window of the 6h rule and 5 clear minutes): at 120x half a minute of wall time, at 60x under a minute.
/// </summary>
[Collection(HeavyProcesses.Name)]
public class AlertmanagerForwarderTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Run_with_an_alertmanager_url_hands_it_the_checkout_page_with_its_labels_and_annotations_and_then_its_resolution()
    {
        using var alertmanager = await RealAlertmanager.StartAsync();
        using var process = KpiProcess.Start(["run", "--demo", "--scenario", "checkout-outage", "--demo-speed-up", "120", "--metrics-port", "0", "--no-live-view", "--alertmanager-url", alertmanager.Url.ToString(), "--alertmanager-resend-interval", "5s"]);

        var page = await WaitForPageAsync(alertmanager, process);
        var labels = page.GetProperty("labels");
        Assert.Equal(
            ("checkout-success", "checkout", "checkout-success", "page", "team-payments", "*"),
            (Label(labels, "alertname"), Label(labels, "journey"), Label(labels, "slo"), Label(labels, "severity"), Label(labels, "owner"), Label(labels, "segment")));
        Assert.Matches("^checkout@[0-9]+$", Label(labels, "incident"));
        var annotations = page.GetProperty("annotations");
        Assert.StartsWith("Page: checkout-success of checkout burning ", Label(annotations, "summary"), StringComparison.Ordinal);
        Assert.Equal("https://runbooks.example.com/checkout/success", Label(annotations, "runbook_url"));
        Assert.True(long.Parse(Label(annotations, "affected_sessions"), CultureInfo.InvariantCulture) > 0, annotations.ToString());
        Assert.Matches("^5m=[0-9.]+x 30m=[0-9.]+x 1h=[0-9.]+x 6h=[0-9.]+x 1d=[0-9.]+x 3d=[0-9.]+x$", Label(annotations, "burn_rates"));
        Assert.StartsWith($"checkout-success|checkout|*|page@", Label(annotations, "alert_id"), StringComparison.Ordinal);

        // One outage, one notification: the outage's other alerts (the composite page, tickets) join the page's incident,
        // and Alertmanager, grouping by incident as the README suggests, holds them all in the one group.
        var incident = Label(labels, "incident");
        IReadOnlyList<JsonElement> groups = [];
        await Polling.UntilAsync(
            async () => (groups = [.. (await alertmanager.GroupsAsync()).Where(g => Label(g.GetProperty("labels"), "journey") == "checkout")])
                .Sum(g => g.GetProperty("alerts").GetArrayLength()) >= 2,
            Timeout);
        var group = Assert.Single(groups);
        Assert.Equal(incident, Label(group.GetProperty("labels"), "incident"));
        Assert.Contains(group.GetProperty("alerts").EnumerateArray(), a => SameAlert(a, page));
        output.WriteLine($"incident {incident}: {string.Join(", ", group.GetProperty("alerts").EnumerateArray().Select(a => Label(a.GetProperty("labels"), "alertname") + "/" + Label(a.GetProperty("labels"), "severity")))}");

        // Recovery: the forwarder sends the resolution and Alertmanager no longer holds the page as active.
        await Polling.UntilAsync(async () => !(await alertmanager.ActiveAlertsAsync()).Any(a => SameAlert(a, page)), Timeout);
        output.WriteLine($"page {Label(annotations, "alert_id")} held by Alertmanager and resolved");
        process.Signal(15);
        Assert.Equal(0, await process.WaitForExitAsync(Timeout));
    }

    [Fact]
    public async Task A_forwarder_killed_and_restarted_mid_outage_neither_loses_the_page_nor_sends_a_second_one()
    {
        using var alertmanager = await RealAlertmanager.StartAsync();
        // The page stays open for about 50 minutes of event time, 50 s at 60x: time enough to kill a forwarder and start another.
        using var processor = KpiProcess.Start(["run", "--demo", "--scenario", "checkout-outage", "--demo-speed-up", "60", "--metrics-port", "0", "--no-live-view"]);
        var bootstrap = Bootstrap.FromLine(await processor.WaitForLineAsync("bootstrap servers:", Timeout));
        var registry = Bootstrap.RegistryUrl([await processor.WaitForLineAsync("Schema registry (embedded", Timeout)]);
        string[] forward = ["alerts", "forward", "--bootstrap-servers", bootstrap, "--schema-registry-url", registry.ToString(), "--alertmanager-url", alertmanager.Url.ToString(), "--alertmanager-resend-interval", "1s", "--metrics-port", "0"];

        var first = KpiProcess.Start(forward);
        var page = await WaitForPageAsync(alertmanager, first);
        first.Signal(9);
        await first.WaitForExitAsync(Timeout);
        first.Dispose();

        using var second = KpiProcess.Start(forward);
        await second.WaitForLineAsync("caught up with kpi.alerts", Timeout);
        var updatedBefore = DateTimeOffset.Parse(page.GetProperty("updatedAt").GetString()!, CultureInfo.InvariantCulture);
        // The new forwarder sends the firing page again: the same alert (labels, start), updated, and no second one.
        JsonElement again = default;
        await Polling.UntilAsync(
            async () => (again = (await alertmanager.ActiveAlertsAsync()).FirstOrDefault(a => SameAlert(a, page))).ValueKind != JsonValueKind.Undefined
                && DateTimeOffset.Parse(again.GetProperty("updatedAt").GetString()!, CultureInfo.InvariantCulture) > updatedBefore,
            Timeout);
        Assert.Equal(page.GetProperty("startsAt").GetString(), again.GetProperty("startsAt").GetString());
        Assert.Single(await alertmanager.ActiveAlertsAsync(), IsCheckoutPage);

        // And it delivers the resolution.
        await Polling.UntilAsync(async () => !(await alertmanager.ActiveAlertsAsync()).Any(a => SameAlert(a, page)), Timeout + Timeout);
        second.Signal(15);
        Assert.Equal(0, await second.WaitForExitAsync(Timeout));
        processor.Signal(15);
        Assert.Equal(0, await processor.WaitForExitAsync(Timeout));
    }

    [Fact]
    public async Task An_alertmanager_behind_tls_of_a_private_ca_and_basic_auth_takes_posts_only_with_the_alertmanager_config_files_ca_and_credentials()
    {
        using var alertmanager = await RealAlertmanager.StartAsync(secured: true);
        using var kafka = KpiProcess.Start(["kafka"]);
        var bootstrap = Bootstrap.FromLine(await kafka.WaitForLineAsync("bootstrap servers:", Timeout));
        var registry = Bootstrap.RegistryUrl([await kafka.WaitForLineAsync("Schema registry (embedded", Timeout)]);
        var trustOnly = Path.GetTempFileName();
        await File.WriteAllLinesAsync(trustOnly, [$"ssl.ca.location={alertmanager.CaFile}"]);
        var trustAndCredentials = Path.GetTempFileName();
        await File.WriteAllLinesAsync(trustAndCredentials, ["# as a mounted secret holds it", $"ssl.ca.location={alertmanager.CaFile}", $"basic.auth.user.info={RealAlertmanager.User}:{RealAlertmanager.Password}"]);
        // Nothing fires: each round posts an empty list, which Alertmanager accepts or refuses like any other.
        var url = alertmanager.Url.ToString();
        Assert.StartsWith("https://", url, StringComparison.Ordinal);
        string[] forward = ["alerts", "forward", "--bootstrap-servers", bootstrap, "--schema-registry-url", registry.ToString(), "--alertmanager-url", url, "--alertmanager-resend-interval", "1s", "--metrics-port", "0"];

        // The system does not trust the private CA, so the connection fails before any credentials matter.
        using var untrusting = KpiProcess.Start(forward);
        var untrusted = await untrusting.WaitForLineAsync($"Alertmanager {url} did not take", Timeout);
        Assert.Contains("The SSL connection could not be established: The remote certificate is invalid", untrusted, StringComparison.Ordinal);

        // Another authority's certificate is refused as well: the file replaces the system's authorities, it does not open the door.
        var otherCa = PrivateCertificateAuthority.Write(Directory.CreateTempSubdirectory("kpistream-other-ca-").FullName).CaFile;
        var wrongTrust = Path.GetTempFileName();
        await File.WriteAllLinesAsync(wrongTrust, [$"ssl.ca.location={otherCa}", $"basic.auth.user.info={RealAlertmanager.User}:{RealAlertmanager.Password}"]);
        using var mistrusting = KpiProcess.Start([.. forward, "--alertmanager-config", wrongTrust]);
        Assert.Contains("The SSL connection could not be established: The remote certificate was rejected", await mistrusting.WaitForLineAsync($"Alertmanager {url} did not take", Timeout), StringComparison.Ordinal);

        using var unauthenticated = KpiProcess.Start([.. forward, "--alertmanager-config", trustOnly]);
        var refused = await unauthenticated.WaitForLineAsync($"Alertmanager {url} did not take", Timeout);
        Assert.Contains("401 Unauthorized", refused, StringComparison.Ordinal);

        using var accepted = KpiProcess.Start([.. forward, "--alertmanager-config", trustAndCredentials]);
        var port = Bootstrap.MetricsPort(await accepted.WaitForLineAsync("Metrics on", Timeout));
        using var http = new HttpClient();
        string metrics = "";
        // An accepted post creates its Alertmanager's sent counter, even at 0 alerts.
        await Polling.UntilAsync(async () => (metrics = await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/metrics"))).Contains($"kpistream_forwarder_alerts_sent_total{{alertmanager=\"{url}\"}} 0", StringComparison.Ordinal), Timeout);
        Assert.DoesNotContain("kpistream_forwarder_send_failures_total{", metrics, StringComparison.Ordinal);
        Assert.DoesNotContain(accepted.Stdout.Concat(accepted.Stderr).Concat(unauthenticated.Stdout), l => l.Contains(RealAlertmanager.Password, StringComparison.Ordinal));
        output.WriteLine(untrusted);
        output.WriteLine(refused);
    }

    private static async Task<JsonElement> WaitForPageAsync(RealAlertmanager alertmanager, KpiProcess process)
    {
        JsonElement page = default;
        await Polling.UntilAsync(
            async () =>
            {
                Assert.False(process.HasExited, process.LastOutput(30));
                page = (await alertmanager.ActiveAlertsAsync()).FirstOrDefault(IsCheckoutPage);
                return page.ValueKind != JsonValueKind.Undefined;
            },
            Timeout,
            TimeSpan.FromMilliseconds(200));
        return page;
    }

    private static bool IsCheckoutPage(JsonElement alert) =>
        alert.GetProperty("labels") is var labels && Label(labels, "slo") == "checkout-success" && Label(labels, "severity") == "page" && Label(labels, "segment") == "*";

    private static bool SameAlert(JsonElement alert, JsonElement other) =>
        alert.GetProperty("fingerprint").GetString() == other.GetProperty("fingerprint").GetString();

    private static string Label(JsonElement labels, string name) => labels.TryGetProperty(name, out var value) ? value.GetString()! : "";
}
