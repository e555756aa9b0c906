using System.Globalization;
using System.Text;
using Confluent.Kafka;
using KpiStream.IntegrationTests.Support;
using KpiStream.Processor.Conventions;
using KpiStream.TestSupport;

namespace KpiStream.IntegrationTests;

/// <summary>
/// Records just under and over each size limit, produced by kcat between good events, into a
/// processor whose producers may send at most 200,000 bytes (<c>-X message.max.bytes</c>): none
/// stops it, each is in kpi.dlq cut to fit, and the good events give exactly the oracle's KPIs.
/// </summary>
public sealed class OversizedRecordTests
{
    private const int MessageMaxBytes = 200_000;
    private const int PayloadLimit = 1024 * 1024;
    private static readonly DateTimeOffset T0 = StandaloneProcessor.T0;

    [Fact]
    public async Task No_record_of_any_size_stops_the_stream_and_each_reaches_the_dead_letter_topic_cut_to_fit()
    {
        using var processor = await StandaloneProcessor.StartAsync(
            ["--partitions", "3", "--grace", "10s", "--rollup-windows", "none", "-X", $"message.max.bytes={MessageMaxBytes}"]);
        processor.Produce(0, Events.Of("e1", "checkout_started", "checkout", "s1", T0.AddSeconds(5)));
        processor.Produce(1, Events.Of("e2", "checkout_started", "checkout", "s2", T0.AddSeconds(10), region: "us-east", device: "ios"));

        // (key, partition, value size, reason, whether the dead letter holds the value whole)
        var bad = new (string Key, string Topic, int Partition, int Size, string Reason, bool Whole)[]
        {
            ("under-producer-limit", "domain-events", 0, MessageMaxBytes - 1_000, "not-wire-format", true),
            ("over-producer-limit", "domain-events", 1, MessageMaxBytes + 1, "not-wire-format", false),
            ("at-payload-limit", "domain-events", 2, PayloadLimit, "not-wire-format", false),
            ("over-payload-limit", "domain-events", 0, PayloadLimit + 1, "payload-too-large", false),
            ("telemetry-2mib", "service-telemetry", 0, 2 * 1024 * 1024, "payload-too-large", false),
            ("deployment-2mib", "deployments", 0, 2 * 1024 * 1024, "payload-too-large", false),
        };
        foreach (var (key, topic, partition, size, _, _) in bad)
        {
            await Kcat.ProduceAsync(processor.Bootstrap, topic, partition, key, Enumerable.Repeat((byte)'x', size).ToArray());
        }

        // A key of 300,000 bytes with a small value: the key is cut, the value kept.
        var hugeKey = new string('k', 300_000);
        await Kcat.RunBytesAsync(processor.Bootstrap, Encoding.ASCII.GetBytes($"{hugeKey}\tnot avro\n"), "-P", "-t", "domain-events", "-p", "2", "-K", "\t", "-X", "message.max.bytes=3000000");

        processor.Produce(0, Events.Of("e3", "checkout_completed", "checkout", "s1", T0.AddSeconds(20), amount: 1999, currency: "EUR"));
        processor.Produce(1, Events.Of("e4", "checkout_failed", "checkout", "s2", T0.AddSeconds(50), region: "us-east", device: "ios"));
        processor.Produce(2, Events.Of("e5", "login_attempted", "login", "s3", T0.AddSeconds(30)), Events.Of("e6", "login_succeeded", "login", "s3", T0.AddSeconds(31)));
        processor.ProduceClosers(3, T0.AddMinutes(13).AddSeconds(10));

        var expected = processor.Expected();
        Assert.Equal(3, expected.Count);
        var windows = await processor.WaitForWindowsAsync(expected);
        Assert.Empty(KpiTableComparison.Differences(expected, windows));

        var dead = await TopicReader.WaitUntilAsync(processor.Bootstrap, processor.Topics.DeadLetter, r => r.Count >= bad.Length + 1, StandaloneProcessor.Timeout, "every oversized record");
        Assert.Equal(bad.Length + 1, dead.Count);
        foreach (var (key, topic, partition, size, reason, whole) in bad)
        {
            var record = Assert.Single(dead, d => d.Message.Key is { } k && Encoding.UTF8.GetString(k) == key);
            Assert.Equal((reason, topic, partition.ToString(CultureInfo.InvariantCulture)), (record.Header(HeaderNames.DeadLetterReason), record.Header(HeaderNames.SourceTopic), record.Header(HeaderNames.SourcePartition)));
            Assert.True(SizeOf(record) <= MessageMaxBytes, $"{key}: {SizeOf(record)} bytes");
            Assert.Equal(whole, record.Message.Value!.Length == size);
            Assert.Equal(whole ? null : "truncated", record.Header(HeaderNames.DeadLetterPayload));
            Assert.Equal(whole ? null : size.ToString(CultureInfo.InvariantCulture), record.Header(HeaderNames.OriginalValueSize));
        }

        var keyCut = Assert.Single(dead, d => d.Message.Key is { Length: > 1000 });
        Assert.Equal(("truncated", "300000", "not avro"), (keyCut.Header(HeaderNames.DeadLetterKey), keyCut.Header(HeaderNames.OriginalKeySize), Encoding.UTF8.GetString(keyCut.Message.Value!)));
        Assert.True(SizeOf(keyCut) <= MessageMaxBytes);

        Assert.False(processor.Process.HasExited, processor.Process.LastOutput(20));
        Assert.Equal(System.Net.HttpStatusCode.OK, (await processor.Http.GetAsync("/readyz")).StatusCode);
        var metrics = await processor.MetricsAsync();
        Assert.Contains("kpistream_records_dead_lettered_total{topic=\"domain-events\",reason=\"not-wire-format\"} 4\n", metrics, StringComparison.Ordinal);
        Assert.Contains("kpistream_records_dead_lettered_total{topic=\"domain-events\",reason=\"payload-too-large\"} 1\n", metrics, StringComparison.Ordinal);
        Assert.Contains("kpistream_records_dead_lettered_total{topic=\"service-telemetry\",reason=\"payload-too-large\"} 1\n", metrics, StringComparison.Ordinal);
        Assert.Contains("kpistream_records_dead_lettered_total{topic=\"deployments\",reason=\"payload-too-large\"} 1\n", metrics, StringComparison.Ordinal);
    }


    private static int SizeOf(ConsumeResult<byte[]?, byte[]?> record) =>
        (record.Message.Key?.Length ?? 0) + (record.Message.Value?.Length ?? 0) + record.Message.Headers.Sum(h => Encoding.UTF8.GetByteCount(h.Key) + h.GetValueBytes().Length);
}
