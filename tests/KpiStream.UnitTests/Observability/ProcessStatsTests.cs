using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using KpiStream.Processor.Observability;
using Microsoft.Extensions.Time.Testing;
using Prometheus;
using Xunit;

namespace KpiStream.UnitTests.Observability;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class OpensFilesAlone
{
    // Counting this process's descriptors needs no other test opening or closing files meanwhile.
    public const string Name = "opens files alone";
}

[Collection(OpensFilesAlone.Name)]
public sealed partial class ProcessStatsTests
{
    private const string Descriptors = "/proc/self/fd";

    [Fact]
    public async Task Descriptors_are_counted_at_most_once_per_refresh_period()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var registry = Metrics.NewCustomRegistry();
        ProcessStats.Register(registry, clock);
        var before = await ScrapedDescriptorsAsync(registry);

        var files = Enumerable.Range(0, 20).Select(_ => File.Open(Path.GetTempFileName(), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete)).ToList();
        try
        {
            clock.Advance(ProcessStats.FdRefresh - TimeSpan.FromSeconds(1));
            Assert.Equal(before, Value(await ScrapeAsync(registry), "process_open_fds"));

            clock.Advance(TimeSpan.FromSeconds(1));
            var after = await ScrapedDescriptorsAsync(registry);
            // Runtime threads of an earlier test (a socket, a pipe) may open or close a descriptor meanwhile; the 20 files dwarf that.
            Assert.InRange(after - before, 17, 23);
        }
        finally
        {
            foreach (var file in files)
            {
                file.Dispose();
                File.Delete(file.Name);
            }
        }
    }

    [Fact]
    public async Task Memory_threads_cpu_and_start_time_are_what_the_operating_system_reports()
    {
        var registry = Metrics.NewCustomRegistry();
        ProcessStats.Register(registry, TimeProvider.System);
        var process = Process.GetCurrentProcess();
        GC.Collect(0);
        var (pausedBefore, allocatedBefore) = (GC.GetTotalPauseDuration().TotalSeconds, GC.GetTotalAllocatedBytes());

        var text = await ScrapeAsync(registry);

        Assert.InRange(Value(text, "process_resident_memory_bytes"), process.WorkingSet64 * 0.8, process.WorkingSet64 * 1.25);
        Assert.InRange(Value(text, "process_virtual_memory_bytes"), Value(text, "process_resident_memory_bytes"), double.MaxValue);
        Assert.InRange(Value(text, "process_num_threads"), 2, 1_000);
        Assert.InRange(Value(text, "process_cpu_seconds_total"), 0.01, process.TotalProcessorTime.TotalSeconds + 1);
        Assert.Equal(new DateTimeOffset(process.StartTime.ToUniversalTime()).ToUnixTimeMilliseconds() / 1000.0, Value(text, "process_start_time_seconds"));
        Assert.InRange(Value(text, "dotnet_collection_count_total{generation=\"0\"}"), 1, GC.CollectionCount(0));
        Assert.InRange(Value(text, "dotnet_gc_pause_seconds_total"), pausedBefore, GC.GetTotalPauseDuration().TotalSeconds);
        Assert.InRange(Value(text, "dotnet_gc_allocated_bytes_total"), allocatedBefore, GC.GetTotalAllocatedBytes());
    }

    /// <summary>
    /// The scraped count, checked against this test's own counts just before and after the scrape:
    /// exact when nothing else in the process opened or closed a descriptor meanwhile, and within those two otherwise.
    /// All three include the descriptor of the directory being read.
    /// </summary>
    private static async Task<double> ScrapedDescriptorsAsync(CollectorRegistry registry)
    {
        var before = Directory.GetFileSystemEntries(Descriptors).Length;
        var counted = Value(await ScrapeAsync(registry), "process_open_fds");
        var after = Directory.GetFileSystemEntries(Descriptors).Length;
        Assert.InRange(counted, Math.Min(before, after), Math.Max(before, after));
        return counted;
    }

    private static async Task<string> ScrapeAsync(CollectorRegistry registry)
    {
        using var stream = new MemoryStream();
        await registry.CollectAndExportAsTextAsync(stream);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static double Value(string text, string series)
    {
        var match = Regex.Match(text, $"^{Regex.Escape(series)} (\\S+)$", RegexOptions.Multiline);
        Assert.True(match.Success, $"no {series} in the scrape");
        return double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }
}
