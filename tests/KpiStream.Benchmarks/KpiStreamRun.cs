using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using KpiStream.Processor.Hosting;
using KpiStream.TestSupport;

namespace KpiStream.Benchmarks;

/// <summary>KpiStream as operators run it, a separate process, timed from readiness until every input record is consumed and every expected window emitted.</summary>
internal static partial class KpiStreamRun
{
    public sealed record Result(double EventsPerSecond, TimeSpan Elapsed, double P99EmitLatencyMs, double PeakRssMb, long Consumed, long WindowsEmitted);

    public static async Task<Result> RunAsync(string bootstrap, string applicationId, string config, long inputRecords, int expectedWindows)
    {
        var port = Polling.FreePort();
        using var process = KpiProcess.Start(
            ["run", "--bootstrap-servers", bootstrap, "--application-id", applicationId, "--config", config, "--grace", "10s",
             "--metrics-port", port.ToString(CultureInfo.InvariantCulture), "--no-live-view"],
            new Dictionary<string, string> { [RunOptions.PseudonymizationKeyVariable] = "benchmark-key-0123456789" });
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        await Polling.UntilAsync(async () => (await http.GetAsync("/readyz")).IsSuccessStatusCode, TimeSpan.FromSeconds(60));
        var clock = Stopwatch.StartNew();
        string metrics = "";
        await Polling.UntilAsync(
            async () =>
            {
                metrics = await http.GetStringAsync("/metrics");
                return Sum(metrics, "kpistream_records_consumed_total{topic=\"domain-events\"}") >= inputRecords
                    && Sum(metrics, "kpistream_windows_emitted_total{") >= expectedWindows;
            },
            TimeSpan.FromMinutes(10));
        var elapsed = clock.Elapsed;
        var peakRssMb = PeakRssMb(process.Id);
        process.Signal(15);
        await process.WaitForExitAsync(TimeSpan.FromSeconds(60));
        return new Result(
            inputRecords / elapsed.TotalSeconds,
            elapsed,
            Percentile(metrics, "kpistream_emit_latency_seconds", 0.99) * 1000,
            peakRssMb,
            (long)Sum(metrics, "kpistream_records_consumed_total{topic=\"domain-events\"}"),
            (long)Sum(metrics, "kpistream_windows_emitted_total{"));
    }

    private static double Sum(string metrics, string prefix) =>
        metrics.Split('\n').Where(l => l.StartsWith(prefix, StringComparison.Ordinal))
            .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));

    /// <summary>The upper bound of the histogram bucket holding the given quantile.</summary>
    private static double Percentile(string metrics, string histogram, double quantile)
    {
        var buckets = BucketLine().Matches(metrics)
            .Where(m => m.Groups[1].Value == histogram)
            .Select(m => (Le: m.Groups[2].Value == "+Inf" ? double.PositiveInfinity : double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture), Count: double.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture)))
            .OrderBy(b => b.Le)
            .ToList();
        var total = buckets.Last().Count;
        return buckets.First(b => b.Count >= quantile * total).Le;
    }

    private static double PeakRssMb(int pid) =>
        File.ReadLines($"/proc/{pid}/status").Where(l => l.StartsWith("VmHWM:", StringComparison.Ordinal))
            .Select(l => double.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024).Single();

    [GeneratedRegex("^([a-z_]+)_bucket\\{le=\"([^\"]+)\"\\} ([0-9.e+]+)$", RegexOptions.Multiline)]
    private static partial Regex BucketLine();
}
