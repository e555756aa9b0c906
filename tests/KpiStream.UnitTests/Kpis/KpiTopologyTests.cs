using System.Collections.Immutable;
using System.Text;
using FsCheck;
using FsCheck.Xunit;
using KpiStream.Core.Kpis;
using KpiStream.Core.Privacy;
using KpiStream.Core.Windows;
using KpiStream.Processor.Conventions;
using KpiStream.TestSupport;

namespace KpiStream.UnitTests.Kpis;

public class KpiTopologyTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.Parse("2026-11-23T10:00:00Z");
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    [Fact]
    public void Funnels_are_counted_per_journey_segment_and_minute_and_windows_close_at_end_plus_grace()
    {
        using var harness = new KpiTopologyHarness(T0);
        harness.Pipe(Events.Of("e1", "checkout_started", "checkout", "s1", T0.AddSeconds(5)));
        harness.Pipe(Events.Of("e2", "checkout_started", "checkout", "s2", T0.AddSeconds(10)));
        harness.Pipe(Events.Of("e3", "checkout_completed", "checkout", "s1", T0.AddSeconds(20), amount: 1999, currency: "EUR"));
        harness.Pipe(Events.Of("e4", "checkout_failed", "checkout", "s2", T0.AddSeconds(30)));
        harness.Pipe(Events.Of("e5", "checkout_started", "checkout", "s3", T0.AddSeconds(40), region: "us-east", device: "ios"));
        harness.Pipe(Events.Of("e6", "checkout_completed", "checkout", "s3", T0.AddSeconds(69), region: "us-east", device: "ios", amount: 500, currency: "USD"));
        harness.Tick();
        Assert.Empty(harness.Emitted());

        harness.Pipe(Events.Of("e7", "login_attempted", "login", "s4", T0.AddSeconds(70)));
        harness.Tick();

        var minute0 = harness.Table();
        Assert.Equal(2, minute0.Count);
        Assert.Equal(
            Window("checkout", T0, ("device", "web"), ("region", "eu-west")) with
            {
                Counters = new KpiCounters(Attempts: 2, Successes: 1, Failures: 1, SessionsStarted: 2, SessionsConverted: 1, CurrencyAmounts.Of("EUR", 1999), 0, 0),
            },
            minute0[$"checkout|device=web,region=eu-west|{T0.ToUnixTimeMilliseconds()}|60000"]);
        Assert.Equal(0.5, minute0[$"checkout|device=web,region=eu-west|{T0.ToUnixTimeMilliseconds()}|60000"].Counters.SuccessRate);
        Assert.Equal(
            new KpiCounters(Attempts: 1, Successes: 0, Failures: 0, SessionsStarted: 1, SessionsConverted: 1, CurrencyAmounts.None, 0, 0),
            minute0[$"checkout|device=ios,region=us-east|{T0.ToUnixTimeMilliseconds()}|60000"].Counters);

        harness.Pipe(Events.Of("e8", "login_failed", "login", "s4", T0.AddSeconds(130)));
        harness.Tick();

        var minute1 = harness.Table();
        Assert.Equal(4, minute1.Count);
        Assert.Equal(
            new KpiCounters(Attempts: 0, Successes: 1, Failures: 0, SessionsStarted: 0, SessionsConverted: 0, CurrencyAmounts.Of("USD", 500), 0, 0),
            minute1[$"checkout|device=ios,region=us-east|{T0.AddMinutes(1).ToUnixTimeMilliseconds()}|60000"].Counters);
        Assert.Equal(
            new KpiCounters(Attempts: 1, Successes: 0, Failures: 0, SessionsStarted: 1, SessionsConverted: 0, CurrencyAmounts.None, 0, 0),
            minute1[$"login|region=eu-west|{T0.AddMinutes(1).ToUnixTimeMilliseconds()}|60000"].Counters);
        Assert.Equal(4, harness.Emitted().Count);
    }

    [Fact]
    public void A_late_record_is_not_counted_but_reported_in_its_window_which_is_emitted_again()
    {
        using var harness = new KpiTopologyHarness(T0);
        harness.Pipe(Events.Of("e1", "login_attempted", "login", "s1", T0.AddSeconds(5)));
        harness.Pipe(Events.Of("e2", "login_attempted", "login", "s2", T0.AddSeconds(75)));
        harness.Tick();
        var key = $"login|region=eu-west|{T0.ToUnixTimeMilliseconds()}|60000";
        Assert.Equal(KpiCounters.Zero with { Attempts = 1, SessionsStarted = 1 }, harness.Table()[key].Counters);

        harness.Pipe(Events.Of("e3", "login_succeeded", "login", "s1", T0.AddSeconds(50)));
        harness.Tick();

        var emitted = harness.Emitted().Where(e => e.Key == key).Select(e => e.Window.Counters).ToList();
        Assert.Equal(
            [KpiCounters.Zero with { Attempts = 1, SessionsStarted = 1 }, KpiCounters.Zero with { Attempts = 1, SessionsStarted = 1, LateRecords = 1 }],
            emitted);
        Assert.Equal(1, SampleValue(harness, MetricNames.LateRecords, "login"));
    }

    [Fact]
    public void A_duplicate_event_id_is_counted_once_and_reported()
    {
        using var harness = new KpiTopologyHarness(T0);
        var start = Events.Of("e1", "checkout_started", "checkout", "s1", T0.AddSeconds(5));
        harness.Pipe(start);
        harness.Pipe(start);
        harness.Pipe(start with { Region = "eu-west" });
        harness.Pipe(Events.Of("e9", "checkout_started", "checkout", "s9", T0.AddSeconds(80)));
        harness.Tick();

        Assert.Equal(
            KpiCounters.Zero with { Attempts = 1, SessionsStarted = 1, DuplicateRecords = 2 },
            harness.Table()[$"checkout|device=web,region=eu-west|{T0.ToUnixTimeMilliseconds()}|60000"].Counters);
        Assert.Equal(2, SampleValue(harness, MetricNames.DuplicateRecords, "checkout"));
    }

    [Fact]
    public void Stream_time_ticks_close_windows_on_partitions_that_receive_no_newer_events()
    {
        using var harness = new KpiTopologyHarness(T0);
        harness.Pipe(Events.Of("e1", "login_attempted", "login", "s1", T0.AddSeconds(5), region: "ap-south"));
        harness.Pipe(Events.Of("e2", "checkout_started", "checkout", "s2", T0.AddSeconds(90), region: "us-east", device: "ios"));
        Assert.DoesNotContain(harness.Emitted(), e => e.Window.Journey == "login");

        harness.Tick();

        Assert.Contains(harness.Emitted(), e => e.Window.Journey == "login");
        Assert.Equal(3, harness.Repartitioned().Count(r => r.Headers.Any(h => h.Key == HeaderNames.StreamTimeTick)));
    }

    [Fact]
    public void User_ids_are_pseudonymized_before_they_leave_the_ingest_stage_and_kpis_carry_none()
    {
        using var harness = new KpiTopologyHarness(T0);
        harness.Pipe(Events.Of("e1", "login_attempted", "login", "s1", T0.AddSeconds(5), user: "alice@example.com"));

        var forwarded = harness.Events.Decode(harness.Repartitioned().Single().Value).Value!;

        Assert.Equal(new Pseudonymizer(Encoding.UTF8.GetBytes("harness-key-0123456789")).Pseudonymize("alice@example.com"), forwarded.UserId);
        Assert.DoesNotContain("user", string.Join(",", TestSchemas.Set.KpiWindow.Fields.Select(f => f.Name)), StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_records_go_to_the_dead_letter_topic_with_original_bytes_and_headers_naming_the_reason_and_source()
    {
        using var harness = new KpiTopologyHarness(T0);
        var garbage = "{\"hello\":1}"u8.ToArray();
        harness.PipeRaw("k1", garbage, partition: 2);
        harness.Pipe(Events.Of("e2", "checkout_started", null, "s2", T0));
        harness.Pipe(Events.Of("e3", "checkout_exploded", "checkout", "s3", T0));
        harness.Pipe(Events.Of("e4", "checkout_started", "refund", "s4", T0));
        harness.Pipe(Events.Of("e5", "checkout_started", "checkout", "s5", T0.AddDays(-30)));
        harness.Pipe(Events.Of("e6", "search_started", "search", "s6", T0));
        harness.PipeRaw("k7", null, partition: 1);

        var dead = harness.DeadLetters();

        Assert.Equal(
            ["not-wire-format", "missing-journey", "unknown-event-type", "unknown-journey", "timestamp-out-of-range", "missing-segment-attribute", "empty-value"],
            dead.Select(d => Header(d, HeaderNames.DeadLetterReason)));
        Assert.Equal(garbage, dead[0].Value);
        Assert.Equal("k1", Encoding.UTF8.GetString(dead[0].Key!));
        Assert.Equal(("domain-events", "2", "0"), (Header(dead[0], HeaderNames.SourceTopic), Header(dead[0], HeaderNames.SourcePartition), Header(dead[0], HeaderNames.SourceOffset)));
        Assert.Equal("expected magic byte 0 and a 4-byte schema id, got 11 bytes starting with 0x7b", Header(dead[0], HeaderNames.DeadLetterDetail));
        Assert.Equal("journey 'refund' is not configured", Header(dead[3], HeaderNames.DeadLetterDetail));
        Assert.Null(dead[6].Value);
        Assert.Empty(harness.Repartitioned());
        Assert.Equal(1, SampleValue(harness, MetricNames.RecordsDeadLettered, "domain-events", "missing-journey"));
    }

    [Property(MaxTest = 100)]
    public bool The_emitted_table_equals_the_oracle_and_duplicates_change_nothing_but_their_count(int seed, PositiveInt sessionCount)
    {
        var input = SyntheticTraffic.Generate(seed, sessionCount.Get % 60 + 1, T0, TimeSpan.FromMinutes(4));
        var random = new Random(seed);
        var withDuplicates = input.SelectMany(e => random.Next(5) == 0 ? new[] { e, e } : [e]).ToList();
        using var harness = new KpiTopologyHarness(T0);
        foreach (var e in withDuplicates)
        {
            harness.Pipe(e);
        }

        // Far enough ahead to close every window of the input, including conversions of the last sessions.
        harness.Pipe(Events.Of("closer", "login_attempted", "login", "closer", T0.AddMinutes(20)));
        harness.Tick();

        var expected = KpiOracle.Expect(withDuplicates, SampleJourneys.Catalog, Minute);
        var actual = harness.Table().Where(kv => kv.Value.Window.Start < T0.AddMinutes(20)).ToDictionary();
        return expected.Count == actual.Count && expected.All(kv => actual.TryGetValue(kv.Key, out var w) && w == kv.Value);
    }

    private static KpiWindow Window(string journey, DateTimeOffset start, params (string Name, string Value)[] segment) =>
        new(journey, Segment.FromAttributes(segment.ToImmutableSortedDictionary(s => s.Name, s => s.Value, StringComparer.Ordinal)), new TumblingWindow(start, Minute), KpiCounters.Zero);

    private static string? Header(KpiStream.Streaming.Runtime.OutgoingRecord record, string name) =>
        record.Headers.LastOrDefault(h => h.Key == name) is { } h ? Encoding.UTF8.GetString(h.Value) : null;

    private static double SampleValue(KpiTopologyHarness harness, string metric, params string[] labels)
    {
        using var stream = new MemoryStream();
        harness.Metrics.CollectAndExportAsTextAsync(stream).GetAwaiter().GetResult();
        var line = Encoding.UTF8.GetString(stream.ToArray()).Split('\n')
            .Single(l => l.StartsWith(metric + "{", StringComparison.Ordinal) && labels.All(v => l.Contains($"\"{v}\"", StringComparison.Ordinal)));
        return double.Parse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
    }
}
