using System.Net;
using KpiStream.TestSupport;
using KpiStream.Processor.Conventions;

namespace KpiStream.IntegrationTests;

/// <summary>The `kpistream` executable, run as a separate process the way operators run it.</summary>
public class CliTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Validate_accepts_the_shipped_journeys_and_says_what_it_found()
    {
        var (exit, process) = await KpiProcess.RunAsync(["validate", "--config", "config/journeys.yaml"], Timeout);
        using (process)
        {
            Assert.Equal(0, exit);
            Assert.Equal(["config/journeys.yaml: valid, 3 journeys (checkout: 2 SLOs, login: 1 SLOs, signup: 1 SLOs)"], process.Stdout);
        }
    }

    [Fact]
    public async Task Validate_rejects_a_bad_file_naming_file_line_field_and_expectation()
    {
        var path = Path.Combine(Path.GetTempPath(), $"bad-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(path, SampleJourneys.Yaml.Replace("conversionTimeout: 2m", "conversionTimeout: two minutes", StringComparison.Ordinal));

        var (exit, process) = await KpiProcess.RunAsync(["validate", "--config", path], Timeout);
        using (process)
        {
            Assert.Equal(1, exit);
            Assert.Equal(
                [$"{path}:38:24: journeys[1].conversionTimeout: expected a duration such as 500ms, 30s, 15m, 2h or 28d, got 'two minutes'", $"{path}: invalid, 1 error(s)"],
                process.Stderr);
        }
    }

    [Fact]
    public async Task Validate_and_run_refuse_a_missing_file()
    {
        var (validateExit, validate) = await KpiProcess.RunAsync(["validate", "--config", "/nonexistent.yaml"], Timeout);
        var (runExit, run) = await KpiProcess.RunAsync(["run", "--config", "/nonexistent.yaml", "--no-live-view"], Timeout);
        using (validate)
        using (run)
        {
            Assert.Equal(1, validateExit);
            Assert.Equal(2, runExit);
            Assert.Contains("/nonexistent.yaml: file not found", run.Stderr);
        }
    }

    [Fact]
    public async Task Run_with_an_external_cluster_but_no_pseudonymization_key_fails_fast_naming_the_setting()
    {
        var (exit, process) = await KpiProcess.RunAsync(["run", "--bootstrap-servers", "127.0.0.1:1", "--no-live-view"], Timeout);
        using (process)
        {
            Assert.Equal(2, exit);
            Assert.Contains(process.Stderr, l => l.Contains("KPISTREAM_PSEUDONYMIZATION_KEY", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Run_with_demo_serves_metrics_health_and_readiness_then_exits_zero_after_its_duration()
    {
        var port = Polling.FreePort();
        using var process = KpiProcess.Start(["run", "--demo", "--demo-seed", "7", "--duration", "15s", "--metrics-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--no-live-view"]);
        var bootstrapLine = await process.WaitForLineAsync("bootstrap servers: 127.0.0.1:", Timeout);
        Assert.Matches("^Embedded Kafka \\(development broker\\) bootstrap servers: 127\\.0\\.0\\.1:[0-9]+$", bootstrapLine);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        await Polling.UntilAsync(async () => (await http.GetAsync("/readyz")).StatusCode == HttpStatusCode.OK, Timeout);
        Assert.Equal("ok", await http.GetStringAsync("/healthz"));

        string metrics = "";
        await Polling.UntilAsync(async () => (metrics = await http.GetStringAsync("/metrics")).Contains(MetricNames.WindowsEmitted + "{", StringComparison.Ordinal), Timeout);

        foreach (var name in new[]
        {
            MetricNames.RecordsConsumed, MetricNames.RecordsProduced, MetricNames.RecordsDeadLettered, MetricNames.ProcessingLatency,
            MetricNames.CommitLatency, MetricNames.ConsumerLag, MetricNames.AssignedTasks, MetricNames.WindowsEmitted, MetricNames.LateRecords,
            MetricNames.DuplicateRecords, MetricNames.LatePartials, MetricNames.EmitLatency, MetricNames.Commits, MetricNames.Aborts,
            MetricNames.Rebalances, MetricNames.RestoredRecords, MetricNames.RestoreTime, MetricNames.StoreEntries, MetricNames.InputPauses,
            MetricNames.InputPausedTime, MetricNames.ConsumerErrors,
        })
        {
            Assert.Contains($"# TYPE {name} ", metrics, StringComparison.Ordinal);
        }

        Assert.Contains("kpistream_records_consumed_total{topic=\"domain-events\"}", metrics, StringComparison.Ordinal);
        // Funnel, telemetry and windows of 6 partitions each, and deployments of 1.
        Assert.Contains("kpistream_assigned_tasks 19", metrics, StringComparison.Ordinal);
        // What /readyz and /healthz answer, as series for alert rules.
        Assert.Contains("kpistream_ready 1", metrics, StringComparison.Ordinal);
        Assert.Contains("kpistream_streams_state{state=\"running\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("kpistream_streams_state{state=\"failed\"} 0", metrics, StringComparison.Ordinal);
        Assert.Equal(0, await process.WaitForExitAsync(Timeout));
    }

    [Fact]
    public async Task Demo_event_time_that_catches_up_with_the_wall_clock_keeps_to_it_and_is_never_out_of_range()
    {
        // Five minutes behind at 1000x: caught up after 0.3 s; without keeping to the wall clock it would be an hour ahead 3.6 s later.
        using var processor = await Support.StandaloneProcessor.StartAsync(["--demo", "--demo-speed-up", "1000", "--demo-start-behind", "5m"]);
        await Task.Delay(TimeSpan.FromSeconds(20));

        var metrics = await processor.MetricsAsync();
        var consumed = PrometheusText.Samples(metrics, MetricNames.RecordsConsumed + "{topic=\"domain-events\"}").Single();
        Assert.True(consumed > 20, $"only {consumed} domain events consumed");
        Assert.Contains("reason=\"not-wire-format\"", metrics, StringComparison.Ordinal);
        Assert.DoesNotContain("reason=\"timestamp-out-of-range\"", metrics, StringComparison.Ordinal);
        Assert.DoesNotContain(
            TopicReader.ReadAll(processor.Bootstrap, processor.Topics.DeadLetter),
            r => r.Message.Headers.TryGetLastBytes(HeaderNames.DeadLetterReason, out var reason) && System.Text.Encoding.UTF8.GetString(reason) == "timestamp-out-of-range");
    }

    [Fact]
    public async Task Sigterm_stops_the_processor_gracefully_with_exit_code_zero()
    {
        using var process = KpiProcess.Start(["run", "--demo", "--metrics-port", "0", "--no-live-view"]);
        await process.WaitForLineAsync("Metrics on", Timeout);
        await Task.Delay(2000);

        process.Signal(15);

        Assert.Equal(0, await process.WaitForExitAsync(Timeout));
    }
}
