using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using KpiStream.Benchmarks;
using KpiStream.EmbeddedKafka;
using KpiStream.Processor.Conventions;
using KpiStream.Processor.Hosting;
using KpiStream.TestSupport;

// End-to-end throughput of KpiStream against a raw transactional passthrough of the same input,
// on the embedded Kafka; then two runs at a third of that event rate over 1.5 h and 3 h of event
// time, both longer than the 1 h deduplication horizon, to show that state and memory do not grow
// with the number of events once windows close; then a run fed at a steady rate over 200 minutes of
// event time, sampling memory as it goes.
// A rate is only reported once every input record was consumed and every expected window emitted
// exactly as the oracle says.
// The throughput input is as large as the development broker keeps (about 25,000 events, 3.4 MB,
// per partition of 5 MiB), so the fixed costs of a run (the first fetch, the last commit of each
// stage) weigh as little as they can.
const int Partitions = 6;
const int ThroughputRuns = 3;
// KpiStream runs a stream thread per core, and the passthrough as many copy loops.
var streamThreads = Environment.ProcessorCount;
const int MemorySessions = 30_000;
const int WarmUpMinutes = 2;
// About 600 events/s for 4 minutes, 200 minutes of event time (the deduplication horizon three times over):
// 3.3 MB per partition, under what the development broker keeps.
const int SteadySessions = 72_000;
const double SteadySpeedUp = 50;
var steadyEventTime = TimeSpan.FromMinutes(200);
var sessions = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 75_000;
var outputPath = Path.Combine(RepositoryPaths.Root, "artifacts", "bench", "results.json");

// The hot path keeps its own decoder of domain events only while it beats Confluent's deserializer.
var (ourDecoder, confluentDecoder) = DecoderComparison.Run();
Console.WriteLine($"Decoding a domain event (median of rounds): KpiStream's decoder {ourDecoder.CpuNsPerRecord:F0} ns CPU ({ourDecoder.WallNsPerRecord:F0} ns wall), {ourDecoder.AllocatedBytesPerRecord:F0} B allocated; Confluent's AvroDeserializer + mapping {confluentDecoder.CpuNsPerRecord:F0} ns CPU ({confluentDecoder.WallNsPerRecord:F0} ns wall), {confluentDecoder.AllocatedBytesPerRecord:F0} B allocated");
foreach (var (slo, policy, bytes) in SegmentMemory.Run())
{
    Console.WriteLine($"Memory per judged segment of {slo} ({policy}): {bytes / 1024:F1} KiB");
}

if (args.Contains("--decoders-only"))
{
    return;
}

// Single runs vary by 10-30% on this VM (either side); the run with the median ratio stands for
// the others, which are listed too.
var throughputRuns = new List<MeasuredRun>();
for (var run = 0; run < ThroughputRuns; run++)
{
    throughputRuns.Add(await MeasureAsync(sessions, TimeSpan.FromMinutes(15), streamThreads, withPassthrough: true));
}

var single = throughputRuns.OrderBy(RatioToRaw).ElementAt(ThroughputRuns / 2);
Console.WriteLine($"Median run of {ThroughputRuns}: ratio {RatioToRaw(single):F3} (all: {string.Join(", ", throughputRuns.Select(r => RatioToRaw(r).ToString("F3", CultureInfo.InvariantCulture)))})");
if (args.Contains("--throughput-only"))
{
    return;
}

var longer = await MeasureAsync(MemorySessions, TimeSpan.FromMinutes(90), streamThreads, withPassthrough: false);
var twiceLonger = await MeasureAsync(MemorySessions * 2, TimeSpan.FromMinutes(180), streamThreads, withPassthrough: false);
var steady = await SteadyFeedRun.RunAsync(Partitions, streamThreads, SteadySessions, steadyEventTime, SteadySpeedUp);
foreach (var sample in steady)
{
    Console.WriteLine($"  steady feed at {sample.Wall.TotalSeconds:F0} s ({sample.EventTime.TotalMinutes:F0} min of event time): {sample.Consumed} consumed, RSS {sample.RssMb:F0} MB, managed heap {sample.ManagedHeapMb:F0} MB, {sample.StoreEntries} store entries");
}

// Past the deduplication horizon (1 h of event time) state stops growing; so should memory, by the second half.
var settled = steady.Where(s => s.EventTime >= steadyEventTime / 2).ToList();

var results = new JsonObject
{
    ["command"] = "make bench",
    ["machine"] = $"{Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}",
    ["events"] = single.Events,
    ["timed_events"] = single.TimedEvents,
    ["events_per_second"] = Math.Round(single.Kpi.EventsPerSecond),
    ["events_per_second_from_resume"] = Math.Round(single.Kpi.FromReadyEventsPerSecond),
    ["stream_threads"] = streamThreads,
    ["raw_txn_passthrough_events_per_second"] = Math.Round(single.Raw.FasterEventsPerSecond),
    ["ratio_to_raw"] = Math.Round(RatioToRaw(single), 3),
    ["raw_txn_passthrough_same_loops_events_per_second"] = Math.Round(single.Raw.SameLoops.EventsPerSecond),
    ["raw_txn_passthrough_single_loop_events_per_second"] = Math.Round(single.Raw.SingleLoop.EventsPerSecond),
    ["raw_txn_passthrough_single_loop_machine_cpu_us_per_event"] = Math.Round(single.Raw.SingleLoop.MachineCpuPerEvent.TotalMicroseconds, 1),
    ["throughput_runs"] = new JsonArray([.. throughputRuns.Select(r => (JsonNode)new JsonObject
    {
        ["events_per_second"] = Math.Round(r.Kpi.EventsPerSecond),
        ["raw_txn_passthrough_same_loops_events_per_second"] = Math.Round(r.Raw.SameLoops.EventsPerSecond),
        ["raw_txn_passthrough_single_loop_events_per_second"] = Math.Round(r.Raw.SingleLoop.EventsPerSecond),
        ["ratio_to_raw"] = Math.Round(RatioToRaw(r), 3),
        ["processor_cpu_us_per_event"] = Math.Round(r.Kpi.ProcessorCpuPerEvent.TotalMicroseconds, 1),
        ["machine_cpu_us_per_event"] = Math.Round(r.Kpi.MachineCpuPerEvent.TotalMicroseconds, 1),
        ["raw_txn_passthrough_single_loop_machine_cpu_us_per_event"] = Math.Round(r.Raw.SingleLoop.MachineCpuPerEvent.TotalMicroseconds, 1),
    })]),
    ["decoder_kpistream_cpu_ns_per_event"] = Math.Round(ourDecoder.CpuNsPerRecord),
    ["decoder_kpistream_allocated_bytes_per_event"] = Math.Round(ourDecoder.AllocatedBytesPerRecord),
    ["decoder_confluent_cpu_ns_per_event"] = Math.Round(confluentDecoder.CpuNsPerRecord),
    ["decoder_confluent_allocated_bytes_per_event"] = Math.Round(confluentDecoder.AllocatedBytesPerRecord),
    ["p99_emit_latency_ms"] = single.Kpi.P99EmitLatencyMs,
    ["peak_rss_mb"] = Math.Round(single.Kpi.PeakRssMb, 1),
    ["windows"] = single.Kpi.WindowsEmitted,
    ["first_input_consumed_after_resume_s"] = Math.Round(single.Kpi.FirstConsumed.TotalSeconds, 2),
    ["all_input_consumed_after_resume_s"] = Math.Round(single.Kpi.AllConsumed.TotalSeconds, 2),
    ["consuming_events_per_second"] = Math.Round(single.TimedEvents / (single.Kpi.AllConsumed - single.Kpi.FirstConsumed).TotalSeconds),
    ["gc_pause_ms"] = Math.Round(single.Kpi.GcPause.TotalMilliseconds),
    ["allocated_bytes_per_event"] = Math.Round(single.Kpi.AllocatedBytesPerEvent),
    ["processor_cpu_us_per_event"] = Math.Round(single.Kpi.ProcessorCpuPerEvent.TotalMicroseconds, 1),
    ["machine_cpu_us_per_event"] = Math.Round(single.Kpi.MachineCpuPerEvent.TotalMicroseconds, 1),
    ["input_pauses"] = single.Kpi.InputPauses,
    ["store_entries"] = single.Kpi.StoreEntries,
};
AddMemoryRun(results, "long_90m", longer);
AddMemoryRun(results, "long_180m", twiceLonger);
results["steady_events"] = steady[^1].Consumed;
results["steady_event_time_minutes"] = steadyEventTime.TotalMinutes;
results["steady_events_per_second"] = Math.Round(steady[^1].Consumed / (steadyEventTime.TotalSeconds / SteadySpeedUp));
results["steady_rss_mb_second_half_min"] = Math.Round(settled.Min(s => s.RssMb), 1);
results["steady_rss_mb_second_half_max"] = Math.Round(settled.Max(s => s.RssMb), 1);
results["steady_store_entries_second_half_max"] = settled.Max(s => s.StoreEntries);
results["steady_samples"] = new JsonArray([.. steady.Select(s => (JsonNode)new JsonObject
{
    ["event_time_minutes"] = Math.Round(s.EventTime.TotalMinutes, 1),
    ["consumed"] = s.Consumed,
    ["rss_mb"] = Math.Round(s.RssMb, 1),
    ["managed_heap_mb"] = Math.Round(s.ManagedHeapMb, 1),
    ["store_entries"] = s.StoreEntries,
})]);
Directory.CreateDirectory(Path.GetDirectoryName(outputPath)!);
await File.WriteAllTextAsync(outputPath, results.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
Console.WriteLine(results.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
Console.WriteLine($"Written to {outputPath}");

static double RatioToRaw(MeasuredRun run) =>
    run.Kpi.EventsPerSecond / run.Raw.FasterEventsPerSecond;

static void AddMemoryRun(JsonObject results, string prefix, MeasuredRun run)
{
    results[$"{prefix}_events"] = run.Events;
    results[$"{prefix}_events_per_second"] = Math.Round(run.Kpi.EventsPerSecond);
    results[$"{prefix}_peak_rss_mb"] = Math.Round(run.Kpi.PeakRssMb, 1);
    results[$"{prefix}_store_entries"] = run.Kpi.StoreEntries;
    results[$"{prefix}_final_rss_mb"] = Math.Round(run.Kpi.FinalRssMb, 1);
    results[$"{prefix}_final_managed_heap_mb"] = Math.Round(run.Kpi.ManagedHeapMb, 1);
}

/// <returns>The raw passthrough's rates with as many copy loops as KpiStream has stream threads, and with one (earlier sessions' baseline).</returns>
static async Task<MeasuredRun> MeasureAsync(int sessions, TimeSpan spread, int streamThreads, bool withPassthrough)
{
    using var cluster = EmbeddedKafkaCluster.Start(brokerCount: 1, KpiStreamRun.GroupFormationDelay);
    var config = SampleJourneys.WriteToTempFile();
    var options = new RunOptions { ApplicationId = "bench", InputPartitions = Partitions, ConfigPath = config };
    foreach (var topic in KpiStreamApp.TopicsFor(options))
    {
        cluster.CreateTopic(topic.Name, topic.Partitions);
    }

    cluster.CreateTopic("passthrough-out", Partitions);
    cluster.CreateTopic("passthrough-single-loop-out", Partitions);
    var topics = new TopicNames();
    var input = new SyntheticInput(sessions, seed: 7, spread, Partitions);
    // The throughput run warms both up on the first minutes of the input (see KpiStreamRun.WarmUp); the memory runs start cold.
    var warmUpEvents = withPassthrough ? input.CountBefore(input.Start + TimeSpan.FromMinutes(WarmUpMinutes)) : 0;
    void ProduceWarmUp() => input.Produce(cluster.BootstrapServers, topics.DomainEvents, ..warmUpEvents, withClosers: false);
    void ProduceRest() => input.Produce(cluster.BootstrapServers, topics.DomainEvents, warmUpEvents.., withClosers: true);
    Console.WriteLine($"{input.Events.Count} events ({sessions} sessions over {spread} of event time), of which {warmUpEvents} to warm up; {input.Expected.Count} windows expected");

    if (!withPassthrough)
    {
        ProduceRest();
    }

    var kpi = await KpiStreamRun.RunAsync(cluster.BootstrapServers, "bench", config, Partitions, streamThreads, input.RecordCount, input.Expected.Count,
        withPassthrough ? new KpiStreamRun.WarmUp(warmUpEvents, ProduceWarmUp, ProduceRest) : null);

    var raw = new PassthroughRuns(PassthroughRun.None, PassthroughRun.None);
    if (withPassthrough)
    {
        // The whole input is in the topic by now: the passthrough copies the warm-up part, then is timed on the rest.
        PassthroughRun Passthrough(int loops, string output)
        {
            using var passthrough = new RawTransactionalPassthrough(cluster.BootstrapServers, topics.DomainEvents, Partitions, output, TimeSpan.FromMilliseconds(500), loops, output);
            passthrough.CopyUntil(warmUpEvents);
            var busyBefore = MachineCpu.BusyTime();
            var rate = passthrough.CopyUntil(input.RecordCount);
            return new PassthroughRun(rate, (MachineCpu.BusyTime() - busyBefore) / (input.RecordCount - warmUpEvents));
        }

        var sameLoops = Passthrough(streamThreads, "passthrough-out");
        raw = new PassthroughRuns(sameLoops, streamThreads == 1 ? sameLoops : Passthrough(1, "passthrough-single-loop-out"));
    }

    TopicReader.EnsureNothingDropped(cluster.BootstrapServers, KpiStreamApp.TopicsFor(options).Select(t => t.Name));
    var problems = KpiTableComparison.Differences(input.Expected, TopicReader.ReadAll(cluster.BootstrapServers, topics.KpiWindowed));
    if (problems.Count > 0)
    {
        throw new InvalidOperationException($"KpiStream's output is not the expected one, so no rate is reported: {string.Join("; ", problems.Take(5))}");
    }

    Console.WriteLine($"  KpiStream: {kpi.EventsPerSecond:F0} events/s from the first record ({kpi.FromReadyEventsPerSecond:F0} from the start of the timed phase) over {kpi.Elapsed.TotalSeconds:F1} s (first input consumed at {kpi.FirstConsumed.TotalSeconds:F1} s, all at {kpi.AllConsumed.TotalSeconds:F1} s), p99 emit latency <= {kpi.P99EmitLatencyMs} ms, GC pauses {kpi.GcPause.TotalMilliseconds:F0} ms, {kpi.AllocatedBytesPerEvent:F0} bytes allocated per event, CPU per event {kpi.ProcessorCpuPerEvent.TotalMicroseconds:F1} us in the processor and {kpi.MachineCpuPerEvent.TotalMicroseconds:F1} us machine-wide, {kpi.InputPauses} input pauses, peak RSS {kpi.PeakRssMb:F0} MB, {kpi.StoreEntries} store entries and {kpi.FinalRssMb:F0} MB resident at the end ({kpi.ManagedHeapMb:F0} MB managed heap)"
        + (withPassthrough ? $"; raw passthrough {raw.SameLoops.EventsPerSecond:F0} events/s with {streamThreads} copy loops, {raw.SingleLoop.EventsPerSecond:F0} with one ({raw.SingleLoop.MachineCpuPerEvent.TotalMicroseconds:F1} us of machine CPU per event)" : ""));
    return new MeasuredRun(input.Events.Count, input.Events.Count - warmUpEvents, kpi, raw);
}
