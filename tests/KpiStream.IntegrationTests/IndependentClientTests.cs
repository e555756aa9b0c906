using KpiStream.Core.Kpis;
using KpiStream.TestSupport;
using KpiStream.Processor.Hosting;
using KpiStream.Serialization.Avro;
using KpiStream.Serialization.Mapping;

namespace KpiStream.IntegrationTests;

/// <summary>
/// `kpistream kafka` as a standalone broker process, a processor process against it, and kcat (a
/// Kafka client that shares no code with KpiStream) reading the KPI records they produced.
/// </summary>
public class IndependentClientTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Kcat_reads_avro_kpi_records_that_a_processor_process_wrote_to_a_standalone_embedded_kafka()
    {
        using var kafka = KpiProcess.Start(["kafka", "--brokers", "2"]);
        var banner = await kafka.WaitForLineAsync("bootstrap servers:", Timeout);
        Assert.Contains("development broker", banner, StringComparison.Ordinal);
        var bootstrap = Bootstrap.FromLine(banner);
        // The development stack: the same process serves the Schema Registry the processor then uses.
        var registryUrl = Bootstrap.RegistryUrl([await kafka.WaitForLineAsync("Schema registry", Timeout)]);

        using var processor = KpiProcess.Start(
            ["run", "--bootstrap-servers", bootstrap, "--schema-registry-url", registryUrl.ToString(), "--demo", "--duration", "25s", "--metrics-port", "0", "--no-live-view"],
            new Dictionary<string, string> { [RunOptions.PseudonymizationKeyVariable] = "independent-client-test-key" });
        Assert.Equal(0, await processor.WaitForExitAsync(Timeout));
        Assert.DoesNotContain(processor.Stdout, l => l.Contains("Embedded Kafka", StringComparison.Ordinal) || l.StartsWith("Schema registry", StringComparison.Ordinal));

        var keys = (await Kcat.RunAsync(bootstrap, "-C", "-t", "kpi.windowed", "-o", "beginning", "-e", "-q", "-f", "%k\\n"))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.NotEmpty(keys);
        // Segment values are names, or * for an attribute the record does not carry (telemetry knows the region only).
        Assert.All(keys, k => Assert.Matches("^(checkout|login|signup)\\|[a-z_]+=([a-z-]+|\\*)(,[a-z_]+=([a-z-]+|\\*))*\\|[0-9]{13}\\|(60000|300000|3600000)$", k));
        // 25 minutes of event time: minute windows and five-minute rollups of them are final.
        Assert.Contains(keys, k => k.EndsWith("|300000", StringComparison.Ordinal));

        var raw = await Kcat.RunBytesAsync(bootstrap, null, "-C", "-t", "kpi.windowed", "-p", "0", "-o", "beginning", "-c", "1", "-q", "-f", "%s");
        var codec = new AvroCodec<KpiWindow>(new KpiWindowMapper(TestSchemas.Set.KpiWindow), TestSchemas.NewRegistry(), "kpi.windowed");
        var window = codec.Decode(raw).Value;
        Assert.NotNull(window);
        Assert.Equal(TimeSpan.FromMinutes(1), window.Window.Size);
        Assert.True(window.Counters.Attempts + window.Counters.Successes + window.Counters.Failures + window.Counters.LateRecords + window.Counters.DuplicateRecords + window.Counters.Requests > 0);
    }
}
