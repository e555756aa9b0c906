using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using KpiStream.EmbeddedKafka;
using KpiStream.Processor.Conventions;
using KpiStream.Processor.Hosting;
using KpiStream.TestSupport;

namespace KpiStream.Benchmarks;

/// <summary>
/// KpiStream as operators run it, a separate process, timed like the raw passthrough from its
/// first timed input record (as its metrics first show one consumed) until every input record is
/// consumed and every expected window emitted; also from the start of the timed phase (readiness,
/// which adds group join and task restore, or the resumption after a warm-up).
/// <c>BENCH_KPI_ARGS</c> appends arguments to `kpistream run` (to compare settings);
/// <c>BENCH_KPI_LOG</c> names a file that receives the processor's output after each run.
/// </summary>
internal static partial class KpiStreamRun
{
    /// <param name="EventsPerSecond">Timed input records over the time from the first of them consumed to the last window emitted.</param>
    /// <param name="FromReadyEventsPerSecond">Timed input records over the time from the start of the timed phase to the last window emitted.</param>
    /// <param name="FirstConsumed">From the start of the timed phase to its first input record counted as consumed (cold: assignment, restore, JIT).</param>
    /// <param name="AllConsumed">From the start of the timed phase to the last input record consumed.</param>
    /// <param name="StoreEntries">Entries in all state stores a few commits after the last window (exact while each store fits in its cache, RocksDB's estimate beyond).</param>
    /// <param name="FinalRssMb">Resident memory at that moment, when the backlog is gone and every window closed.</param>
    /// <param name="ManagedHeapMb">Of which the managed heap (what the GC holds, live or not yet collected).</param>
    /// <param name="GcPause">Time the processor's garbage collector paused it between the two scrapes that bound the timed run.</param>
    /// <param name="AllocatedBytesPerEvent">Managed bytes the processor allocated between those scrapes, per timed input record.</param>
    /// <param name="ProcessorCpuPerEvent">CPU time (user and system) the processor spent between those scrapes, per timed input record: steadier than a rate on a shared machine.</param>
    /// <param name="MachineCpuPerEvent">The same for the whole machine (the broker, the benchmark itself and the kernel included).</param>
    /// <param name="InputPauses">Times back-pressure paused the processor's input between those scrapes.</param>
    public sealed record Result(double EventsPerSecond, double FromReadyEventsPerSecond, TimeSpan Elapsed, TimeSpan FirstConsumed, TimeSpan AllConsumed, double P99EmitLatencyMs, double PeakRssMb, long Consumed, long WindowsEmitted, long StoreEntries, double FinalRssMb, double ManagedHeapMb, TimeSpan GcPause, double AllocatedBytesPerEvent, TimeSpan ProcessorCpuPerEvent, TimeSpan MachineCpuPerEvent, long InputPauses);

    /// <summary>
    /// Input processed before the timed run, so the timed run sees a process in its steady state
    /// (tiered compilation is off: each method is compiled once, fully optimised, at its first call,
    /// which took ~12% of the stream thread in a cold run of the 150,000-event input). The warm-up
    /// records are produced once the processor owns every task, and once they are consumed and a
    /// few commits have passed, the processor is stopped (SIGSTOP), the rest of the input is
    /// produced, and it is resumed (SIGCONT), so the timed input is a backlog as in a cold run and
    /// producing it takes no CPU from the processor.
    /// </summary>
    /// <remarks>
    /// Producing the warm-up only after the assignment keeps the processor from sitting idle on
    /// consumed input while a rebalance runs. That alone was not enough: when a stream thread misses
    /// the first assignment, the rebalance that takes it in can last the broker's session timeout
    /// (45 s), and tasks assigned first then sat idle past the default 30 s idle advance. Their
    /// stream time followed the wall clock, and where the input lies in the past (as it does in
    /// the first minutes of an hour, see <see cref="SyntheticInput"/>) their part of the warm-up
    /// arrived late and its first minute was emitted short (one run in the eighth session
    /// aborted with about half of that minute's counts, as if one thread's tasks had advanced). So the
    /// benchmark's processor waits <see cref="IdleAdvanceAfter"/>: its input ends with closers
    /// that move stream time on, and it never needs the wall clock to close a window.
    /// </remarks>
    public sealed record WarmUp(long Records, Action ProduceWarmUp, Action ProduceRest);

    /// <summary>
    /// How long the broker waits for a new group's members before the first assignment: long
    /// enough for every stream thread of a starting processor to join it. A member joining later
    /// costs a cooperative rebalance, which the development broker stretches to the session
    /// timeout (45 s), during which the processor is not ready.
    /// </summary>
    public static readonly TimeSpan GroupFormationDelay = TimeSpan.FromSeconds(1);

    /// <summary>The processor's idle advance (<c>--idle-advance-after</c>): longer than any wait of the benchmark for the processor.</summary>
    public static readonly TimeSpan IdleAdvanceAfter = TimeSpan.FromMinutes(10);

    private const int SigStop = 19;
    private const int SigCont = 18;
    private static readonly TimeSpan WarmUpSettle = TimeSpan.FromSeconds(2);

    /// <summary>A `kpistream run` process and a client of its metrics endpoint.</summary>
    public sealed record Running(KpiProcess Process, HttpClient Http) : IDisposable
    {
        public void Dispose()
        {
            Http.Dispose();
            Process.Dispose();
        }
    }

    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);
    private const int OutputLinesShown = 60;

    /// <summary>Starts `kpistream run` on the cluster and waits until it is ready and owns every task.</summary>
    /// <param name="inputPartitions">Partitions of the input topics the cluster was given (they decide the number of tasks).</param>
    public static async Task<Running> StartAsync(string bootstrap, string applicationId, string config, int inputPartitions, int streamThreads)
    {
        var port = Polling.FreePort();
        var process = KpiProcess.Start(
            ["run", "--bootstrap-servers", bootstrap, "--application-id", applicationId, "--config", config, "--grace", "10s",
             "--idle-advance-after", $"{IdleAdvanceAfter.TotalMinutes:F0}m",
             // The embedded run sets this itself; pointed at a development broker by address, the processor cannot know it is one.
             "-X", $"fetch.wait.max.ms={EmbeddedKafkaCluster.ConsumerFetchWaitMax.TotalMilliseconds:F0}",
             "--metrics-port", port.ToString(CultureInfo.InvariantCulture), "--no-live-view",
             "--stream-threads", streamThreads.ToString(CultureInfo.InvariantCulture), .. (Environment.GetEnvironmentVariable("BENCH_KPI_ARGS") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries)],
            new Dictionary<string, string> { [RunOptions.PseudonymizationKeyVariable] = "benchmark-key-0123456789" });
        var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        try
        {
            await Polling.UntilAsync(async () => (await http.GetAsync("/readyz")).IsSuccessStatusCode, ReadyTimeout);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"The processor was not ready within {ReadyTimeout.TotalSeconds:F0} s.\n{process.LastOutput(OutputLinesShown)}", e);
        }

        // With several stream threads, ready means each owns tasks; a cooperative rebalance may still be moving some.
        var topics = new TopicNames();
        string[] sources = [topics.DomainEvents, topics.ServiceTelemetry, topics.Deployments, TopicNames.Repartition(applicationId)];
        var tasks = topics.Required(applicationId, inputPartitions).Where(t => sources.Contains(t.Name)).Sum(t => t.Partitions);
        await Polling.UntilAsync(async () => Sum(await http.GetStringAsync("/metrics"), "kpistream_assigned_tasks ") == tasks, TimeSpan.FromSeconds(120));
        return new Running(process, http);
    }

    public static async Task<Result> RunAsync(string bootstrap, string applicationId, string config, int inputPartitions, int streamThreads, long inputRecords, int expectedWindows, WarmUp? warmUp = null)
    {
        using var processor = await StartAsync(bootstrap, applicationId, config, inputPartitions, streamThreads);
        var (process, http) = (processor.Process, processor.Http);
        string metrics = "";
        TimeSpan? firstConsumed = null, allConsumed = null;
        async Task<double> ConsumedAsync()
        {
            metrics = await http.GetStringAsync("/metrics");
            return Sum(metrics, "kpistream_records_consumed_total{topic=\"domain-events\"}");
        }

        var untimed = warmUp?.Records ?? 0;
        if (warmUp is not null)
        {
            warmUp.ProduceWarmUp();
            await Polling.UntilAsync(async () => await ConsumedAsync() >= warmUp.Records, TimeSpan.FromMinutes(2));
            await Task.Delay(WarmUpSettle);
            process.Signal(SigStop);
            try
            {
                warmUp.ProduceRest();
            }
            finally
            {
                process.Signal(SigCont);
            }
        }

        var clock = Stopwatch.StartNew();
        var clockStartedAt = DateTimeOffset.UtcNow;
        // A scrape costs the processor a few milliseconds of CPU: often while waiting for the start,
        // which sets the time base, less often while it works (the end is then known to 100 ms, late).
        await Polling.UntilAsync(async () => (firstConsumed = await ConsumedAsync() > untimed ? clock.Elapsed : null) is not null, TimeSpan.FromMinutes(1), TimeSpan.FromMilliseconds(10));
        var (pausedAtStart, allocatedAtStart, cpuAtStart) = (Sum(metrics, MetricNames.DotnetGcPause + " "), Sum(metrics, MetricNames.DotnetAllocated + " "), Sum(metrics, MetricNames.ProcessCpu + " "));
        var inputPausesAtStart = Sum(metrics, MetricNames.InputPauses + " ");
        var machineBusyAtStart = MachineCpu.BusyTime();
        await Polling.UntilAsync(
            async () =>
            {
                var consumed = await ConsumedAsync();
                allConsumed ??= consumed >= inputRecords ? clock.Elapsed : null;
                return allConsumed is not null && Sum(metrics, "kpistream_windows_emitted_total{") >= expectedWindows;
            },
            TimeSpan.FromMinutes(10),
            TimeSpan.FromMilliseconds(100));
        // The scrape that saw the last window came up to 100 ms after it; the processor's own time of its last emission is exact.
        var polledEnd = clock.Elapsed;
        var machineBusy = MachineCpu.BusyTime() - machineBusyAtStart;
        var elapsed = DateTimeOffset.FromUnixTimeMilliseconds((long)(Max(metrics, MetricNames.LastWindowEmitted + "{") * 1000)) - clockStartedAt;
        if (elapsed <= firstConsumed!.Value || elapsed > polledEnd)
        {
            throw new InvalidOperationException($"The processor's last window emission ({elapsed} after the start) is not between the first record consumed ({firstConsumed}) and the scrape that saw it ({polledEnd}).");
        }

        var peakRssMb = RssMb(process.Id, "VmHWM:");
        // Store sizes are sampled at commits: let expiry run at a few more.
        await Task.Delay(2_000);
        var finalMetrics = await http.GetStringAsync("/metrics");
        var storeEntries = (long)Sum(finalMetrics, "kpistream_state_store_entries{");
        var finalRssMb = RssMb(process.Id, "VmRSS:");
        var managedHeapMb = Sum(finalMetrics, "dotnet_total_memory_bytes ") / (1024 * 1024);
        process.Signal(15);
        await process.WaitForExitAsync(TimeSpan.FromSeconds(60));
        if (Environment.GetEnvironmentVariable("BENCH_KPI_LOG") is { Length: > 0 } log)
        {
            await File.AppendAllLinesAsync(log, [.. process.Stdout, .. process.Stderr]);
        }

        return new Result(
            (inputRecords - untimed) / (elapsed - firstConsumed!.Value).TotalSeconds,
            (inputRecords - untimed) / elapsed.TotalSeconds,
            elapsed,
            firstConsumed!.Value,
            allConsumed!.Value,
            Percentile(metrics, "kpistream_emit_latency_seconds", 0.99) * 1000,
            peakRssMb,
            (long)Sum(metrics, "kpistream_records_consumed_total{topic=\"domain-events\"}"),
            (long)Sum(metrics, "kpistream_windows_emitted_total{"),
            storeEntries,
            finalRssMb,
            managedHeapMb,
            TimeSpan.FromSeconds(Sum(metrics, MetricNames.DotnetGcPause + " ") - pausedAtStart),
            (Sum(metrics, MetricNames.DotnetAllocated + " ") - allocatedAtStart) / (inputRecords - untimed),
            TimeSpan.FromSeconds(Sum(metrics, MetricNames.ProcessCpu + " ") - cpuAtStart) / (inputRecords - untimed),
            machineBusy / (inputRecords - untimed),
            (long)(Sum(metrics, MetricNames.InputPauses + " ") - inputPausesAtStart));
    }

    internal static double Sum(string metrics, string prefix) => PrometheusText.Samples(metrics, prefix).Sum();

    private static double Max(string metrics, string prefix) => PrometheusText.Samples(metrics, prefix).Max();

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

    /// <param name="field">VmHWM: the peak; VmRSS: now.</param>
    internal static double RssMb(int pid, string field) =>
        File.ReadLines($"/proc/{pid}/status").Where(l => l.StartsWith(field, StringComparison.Ordinal))
            .Select(l => double.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024).Single();

    [GeneratedRegex("^([a-z_]+)_bucket\\{le=\"([^\"]+)\"\\} ([0-9.e+]+)$", RegexOptions.Multiline)]
    private static partial Regex BucketLine();
}
