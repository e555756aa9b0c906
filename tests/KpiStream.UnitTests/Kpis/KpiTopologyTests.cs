using System.Collections.Immutable;
using System.Text;
using FsCheck;
using FsCheck.Xunit;
using KpiStream.Core.Events;
using KpiStream.Core.Kpis;
using KpiStream.Core.Privacy;
using KpiStream.Core.Windows;
using KpiStream.Processor.Conventions;
using KpiStream.Processor.Kpis;
using KpiStream.Processor.Kpis.Partials;
using KpiStream.Streaming.Topologies;
using KpiStream.TestSupport;

namespace KpiStream.UnitTests.Kpis;

public class KpiTopologyTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.Parse("2026-11-23T10:00:00Z");
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    // Final at end + conversion timeout rounded to a window + one window + 10 s grace.
    private static readonly DateTimeOffset LoginMinute0Final = T0.AddMinutes(4).AddSeconds(10);
    private static readonly DateTimeOffset CheckoutMinute0Final = T0.AddMinutes(12).AddSeconds(10);

    [Fact]
    public void Funnels_are_counted_per_journey_segment_and_minute_and_each_window_is_emitted_once_when_final()
    {
        using var harness = new KpiTopologyHarness(T0);
        harness.Pipe(Events.Of("e1", "checkout_started", "checkout", "s1", T0.AddSeconds(5)));
        harness.Pipe(Events.Of("e2", "checkout_started", "checkout", "s2", T0.AddSeconds(10)));
        harness.Pipe(Events.Of("e3", "checkout_completed", "checkout", "s1", T0.AddSeconds(20), amount: 1999, currency: "EUR"));
        harness.Pipe(Events.Of("e4", "checkout_failed", "checkout", "s2", T0.AddSeconds(30)));
        harness.Pipe(Events.Of("e5", "checkout_started", "checkout", "s3", T0.AddSeconds(40), region: "us-east", device: "ios"));
        harness.Pipe(Events.Of("e6", "checkout_completed", "checkout", "s3", T0.AddMinutes(8), region: "us-east", device: "ios", amount: 500, currency: "USD"));
        harness.Pipe(Events.Of("e7", "login_attempted", "login", "s4", T0.AddSeconds(15)));
        harness.Pipe(Events.Of("e8", "login_succeeded", "login", "s4", T0.AddSeconds(16)));
        harness.Commit();
        Assert.Empty(harness.Table(Minute));

        harness.AdvanceAllPartitions(LoginMinute0Final.AddMilliseconds(-1));
        Assert.Empty(harness.Table(Minute));
        harness.AdvanceAllPartitions(LoginMinute0Final);
        Assert.Equal(
            new KpiCounters(Attempts: 1, Successes: 1, Failures: 0, SessionsStarted: 1, SessionsConverted: 1, CurrencyAmounts.None, 0, 0, 0, 0, LatencyHistogram.Empty),
            Assert.Single(harness.Table(Minute)).Value.Counters);

        harness.AdvanceAllPartitions(CheckoutMinute0Final);
        var table = harness.Table(Minute);
        Assert.Equal(3, table.Count);
        var web = table[$"checkout|device=web,region=eu-west|{T0.ToUnixTimeMilliseconds()}|60000"];
        Assert.Equal(
            Window("checkout", T0, ("device", "web"), ("region", "eu-west")) with
            {
                Counters = new KpiCounters(Attempts: 2, Successes: 1, Failures: 1, SessionsStarted: 2, SessionsConverted: 1, CurrencyAmounts.Of("EUR", 1999), 0, 0, 0, 0, LatencyHistogram.Empty),
            },
            web);
        Assert.Equal((0.5, 0.5), (web.Counters.SuccessRate, web.Counters.ConversionRate));
        Assert.Equal(
            new KpiCounters(Attempts: 1, Successes: 0, Failures: 0, SessionsStarted: 1, SessionsConverted: 1, CurrencyAmounts.None, 0, 0, 0, 0, LatencyHistogram.Empty),
            table[$"checkout|device=ios,region=us-east|{T0.ToUnixTimeMilliseconds()}|60000"].Counters);

        harness.AdvanceAllPartitions(T0.AddMinutes(20).AddSeconds(10));
        Assert.Equal(
            new KpiCounters(Attempts: 0, Successes: 1, Failures: 0, SessionsStarted: 0, SessionsConverted: 0, CurrencyAmounts.Of("USD", 500), 0, 0, 0, 0, LatencyHistogram.Empty),
            harness.Table(Minute)[$"checkout|device=ios,region=us-east|{T0.AddMinutes(8).ToUnixTimeMilliseconds()}|60000"].Counters);
        Assert.Equal(4, harness.Emitted().Count(e => e.Window.Segment.Key != "region=closer" && e.Window.Window.Size == Minute));
    }

    [Fact]
    public void Five_minute_and_hour_windows_sum_their_minutes_and_are_emitted_once_when_their_last_minute_is_final()
    {
        using var harness = new KpiTopologyHarness(T0);
        harness.Pipe(Events.Of("e1", "checkout_started", "checkout", "s1", T0.AddSeconds(5)));
        harness.Pipe(Events.Of("e2", "checkout_started", "checkout", "s2", T0.AddSeconds(70)));
        harness.Pipe(Events.Of("e3", "checkout_completed", "checkout", "s2", T0.AddSeconds(80), amount: 1000, currency: "EUR"));
        harness.Pipe(Events.Of("e4", "checkout_started", "checkout", "s3", T0.AddSeconds(270)));
        harness.Pipe(Events.Of("e5", "checkout_failed", "checkout", "s3", T0.AddSeconds(280)));
        harness.Pipe(Events.Of("e6", "checkout_started", "checkout", "s4", T0.AddSeconds(305)));
        const string segment = "checkout|device=web,region=eu-west";
        var fiveMinutes = TimeSpan.FromMinutes(5);

        // The first five minutes are final with their last minute, T0+4m: end + 10 min timeout + one minute + 10 s grace.
        harness.AdvanceAllPartitions(T0.AddMinutes(16).AddSeconds(10).AddMilliseconds(-1));
        Assert.Empty(harness.Table(fiveMinutes));
        harness.AdvanceAllPartitions(T0.AddMinutes(16).AddSeconds(10));
        Assert.Equal(
            KpiCounters.Zero with { Attempts = 3, Successes = 1, Failures = 1, SessionsStarted = 3, SessionsConverted = 1, Revenue = CurrencyAmounts.Of("EUR", 1000) },
            Assert.Single(harness.Table(fiveMinutes)).Value.Counters);
        Assert.Equal($"{segment}|{T0.ToUnixTimeMilliseconds()}|300000", harness.Table(fiveMinutes).Keys.Single());

        harness.AdvanceAllPartitions(T0.AddMinutes(21).AddSeconds(10));
        Assert.Equal(KpiCounters.Zero with { Attempts = 1, SessionsStarted = 1 }, harness.Table(fiveMinutes)[$"{segment}|{T0.AddMinutes(5).ToUnixTimeMilliseconds()}|300000"].Counters);
        Assert.Empty(harness.Table(TimeSpan.FromHours(1)));

        // The hour is final with minute T0+59m; the wall clock moves so the processor accepts event time that far ahead.
        harness.Clock.Advance(TimeSpan.FromMinutes(30));
        harness.AdvanceAllPartitions(T0.AddMinutes(71).AddSeconds(10).AddMilliseconds(-1));
        Assert.Empty(harness.Table(TimeSpan.FromHours(1)));
        harness.AdvanceAllPartitions(T0.AddMinutes(71).AddSeconds(10));
        var hour = Assert.Single(harness.Table(TimeSpan.FromHours(1)));
        Assert.Equal($"{segment}|{T0.ToUnixTimeMilliseconds()}|3600000", hour.Key);
        Assert.Equal(
            KpiCounters.Zero with { Attempts = 4, Successes = 1, Failures = 1, SessionsStarted = 4, SessionsConverted = 1, Revenue = CurrencyAmounts.Of("EUR", 1000) },
            hour.Value.Counters);

        // Partials delivered again change nothing: every window was written exactly once.
        harness.ReplayRepartition();
        harness.AdvanceAllPartitions(T0.AddMinutes(72));
        var checkout = harness.Emitted().Where(e => e.Window.Journey == "checkout").ToList();
        Assert.Equal(checkout.Count, checkout.Select(e => e.Key).Distinct().Count());
        Assert.Equal((4, 2, 1), (checkout.Count(e => e.Window.Window.Size == Minute), checkout.Count(e => e.Window.Window.Size == fiveMinutes), checkout.Count(e => e.Window.Window.Size == TimeSpan.FromHours(1))));
        Assert.Equal(2, harness.SampleValue(MetricNames.WindowsEmitted, "checkout", "5m"));
        Assert.Equal(1, harness.SampleValue(MetricNames.WindowsEmitted, "checkout", "1h"));
        Assert.Equal(harness.Clock.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0, harness.SampleValue(MetricNames.LastWindowEmitted, "checkout"));
    }

    [Fact]
    public void Requests_to_a_journeys_services_join_its_kpis_in_the_segment_of_their_region_and_hold_windows_until_telemetry_catches_up()
    {
        using var harness = new KpiTopologyHarness(T0);
        harness.Pipe(Events.Of("e1", "checkout_started", "checkout", "s1", T0.AddSeconds(5)));
        ServiceTelemetry Request(int second, double durationMs, int status = 200, string service = "checkout-api") =>
            new(service, "POST /pay", $"t{second}", T0.AddSeconds(second), durationMs, status, RequestOutcome.Success, "v1", "eu-west", null);
        harness.PipeTelemetry(Request(1, 100), partition: 0);
        harness.PipeTelemetry(Request(2, 200), partition: 0);
        harness.PipeTelemetry(Request(3, 300, status: 503), partition: 0);
        harness.PipeTelemetry(Request(4, 2_000), partition: 0);
        harness.PipeTelemetry(Request(5, 50, service: "search-api"), partition: 0);
        harness.Commit();

        // Domain-events partitions alone past the horizon: the telemetry task that spoke still holds the window back.
        for (var partition = 0; partition < KpiTopologyHarness.InputPartitions; partition++)
        {
            harness.Pipe(Events.Of($"c{partition}", "login_attempted", "login", $"c{partition}", CheckoutMinute0Final, region: "closer"), partition);
        }

        harness.Commit();
        Assert.DoesNotContain(harness.Table().Keys, k => k.StartsWith("checkout", StringComparison.Ordinal));

        harness.AdvanceAllPartitions(CheckoutMinute0Final);
        var table = harness.Table();
        Assert.Equal(KpiCounters.Zero with { Attempts = 1, SessionsStarted = 1 }, table[$"checkout|device=web,region=eu-west|{T0.ToUnixTimeMilliseconds()}|60000"].Counters);
        var requests = table[$"checkout|device=*,region=eu-west|{T0.ToUnixTimeMilliseconds()}|60000"];
        Assert.Equal(("*", "eu-west"), (requests.Segment.Attributes["device"], requests.Segment.Attributes["region"]));
        var expectedLatency = new[] { 100, 200, 300, 2_000 }.Aggregate(LatencyHistogram.Empty, (h, ms) => h.Record(TimeSpan.FromMilliseconds(ms)));
        Assert.Equal(KpiCounters.Zero with { Requests = 4, RequestErrors = 1, Latency = expectedLatency }, requests.Counters);
        // HdrHistogram ranks: p50 is the 2nd of 4 values (200 ms), p99 the 4th (2 s), each read as its bucket's top, within 1%.
        Assert.InRange(requests.Counters.Latency.Percentile(50)!.Value.TotalMilliseconds, 200, 202);
        Assert.InRange(requests.Counters.Latency.Percentile(99)!.Value.TotalMilliseconds, 2_000, 2_020);
        Assert.Equal(1, harness.SampleValue(MetricNames.UnattributedRequests, "search-api"));
    }

    [Fact]
    public void A_late_record_is_not_counted_and_is_reported_in_the_window_current_when_it_arrived()
    {
        using var harness = new KpiTopologyHarness(T0);
        harness.Pipe(Events.Of("e1", "login_attempted", "login", "s1", T0.AddSeconds(5)), partition: 0);
        harness.Pipe(Events.Of("e2", "login_attempted", "login", "s2", T0.AddSeconds(75)), partition: 0);
        harness.Pipe(Events.Of("e3", "login_succeeded", "login", "s1", T0.AddSeconds(50)), partition: 0);
        harness.AdvanceAllPartitions(T0.AddMinutes(6));

        var table = harness.Table();
        Assert.Equal(KpiCounters.Zero with { Attempts = 1, SessionsStarted = 1 }, table[$"login|region=eu-west|{T0.ToUnixTimeMilliseconds()}|60000"].Counters);
        Assert.Equal(KpiCounters.Zero with { Attempts = 1, SessionsStarted = 1, LateRecords = 1 }, table[$"login|region=eu-west|{T0.AddMinutes(1).ToUnixTimeMilliseconds()}|60000"].Counters);
        Assert.Equal(1, harness.SampleValue(MetricNames.LateRecords, "login"));
    }

    [Fact]
    public void A_duplicate_event_id_is_counted_once_and_reported_in_its_window()
    {
        using var harness = new KpiTopologyHarness(T0);
        var start = Events.Of("e1", "checkout_started", "checkout", "s1", T0.AddSeconds(5));
        harness.Pipe(start);
        harness.Pipe(start);
        harness.Pipe(start with { AmountMinor = 5 });
        harness.AdvanceAllPartitions(CheckoutMinute0Final);

        Assert.Equal(
            KpiCounters.Zero with { Attempts = 1, SessionsStarted = 1, DuplicateRecords = 2 },
            harness.Table()[$"checkout|device=web,region=eu-west|{T0.ToUnixTimeMilliseconds()}|60000"].Counters);
        Assert.Equal(2, harness.SampleValue(MetricNames.DuplicateRecords, "checkout"));
    }

    [Fact]
    public void A_duplicate_is_recognised_after_its_session_start_window_is_final_and_without_any_start()
    {
        using var harness = new KpiTopologyHarness(T0);
        var late = Events.Of("e2", "checkout_completed", "checkout", "s1", T0.AddMinutes(20), amount: 500, currency: "EUR");
        var orphan = Events.Of("e3", "checkout_failed", "checkout", "s2", T0.AddMinutes(20).AddSeconds(1));
        harness.Pipe(Events.Of("e1", "checkout_started", "checkout", "s1", T0.AddSeconds(5)));
        // Past the start's horizon (minute 0 final at 12:10) and its expiry: the session no longer converts, but still remembers ids.
        harness.AdvanceAllPartitions(T0.AddMinutes(15));
        harness.Pipe(late);
        harness.Pipe(late);
        harness.Pipe(orphan);
        harness.Pipe(orphan);
        harness.AdvanceAllPartitions(T0.AddMinutes(35));

        Assert.Equal(
            KpiCounters.Zero with { Successes = 1, Failures = 1, Revenue = CurrencyAmounts.Of("EUR", 500), DuplicateRecords = 2 },
            harness.Table()[$"checkout|device=web,region=eu-west|{T0.AddMinutes(20).ToUnixTimeMilliseconds()}|60000"].Counters);
        Assert.Equal(KpiCounters.Zero with { Attempts = 1, SessionsStarted = 1 }, harness.Table()[$"checkout|device=web,region=eu-west|{T0.ToUnixTimeMilliseconds()}|60000"].Counters);
    }

    [Fact]
    public void A_window_waits_for_the_slowest_input_partition()
    {
        using var harness = new KpiTopologyHarness(T0);
        harness.Pipe(Events.Of("e1", "login_attempted", "login", "s1", T0.AddSeconds(5)), partition: 0);
        foreach (var partition in new[] { 0, 1 })
        {
            harness.Pipe(Events.Of($"c{partition}", "login_attempted", "login", $"c{partition}", T0.AddMinutes(30), region: "closer"), partition);
        }

        harness.Commit();
        Assert.Empty(harness.Table());
        Assert.Equal(KpiCounters.Zero with { Attempts = 1, SessionsStarted = 1 }, harness.Board.Snapshot().Single(w => w.Segment.Key == "region=eu-west").Counters);

        harness.Pipe(Events.Of("c2", "login_attempted", "login", "c2", LoginMinute0Final, region: "closer"), partition: 2);
        harness.Commit();

        Assert.Single(harness.Table());
        Assert.Equal(9, harness.Repartitioned().Count(r => r.Headers.Any(h => h.Key == HeaderNames.StreamTimeTick)));
    }

    [Fact]
    public void When_input_stops_stream_time_follows_the_wall_clock_so_the_last_windows_are_emitted()
    {
        using var harness = new KpiTopologyHarness(T0, idleAdvanceAfter: TimeSpan.FromSeconds(30));
        harness.Pipe(Events.Of("e1", "login_attempted", "login", "s1", T0.AddMinutes(-10)), partition: 0);
        harness.Commit();
        harness.AdvanceWallClock(TimeSpan.FromSeconds(20));
        harness.Commit();
        Assert.Empty(harness.Table());

        // Idle for more than 30 s: every partition's stream time becomes wall clock - 30 s = T0 - 10 s, past the
        // login window's horizon (T0 - 10 min + 1 min + 2 min + 1 min + 10 s).
        harness.AdvanceWallClock(TimeSpan.FromSeconds(20));
        harness.Commit();

        Assert.Equal(KpiCounters.Zero with { Attempts = 1, SessionsStarted = 1 }, Assert.Single(harness.Table(Minute)).Value.Counters);
    }

    [Fact]
    public void Replaying_input_that_the_state_already_reflects_changes_no_output()
    {
        using var harness = new KpiTopologyHarness(T0);
        harness.Pipe(Events.Of("e1", "checkout_started", "checkout", "s1", T0.AddSeconds(5)), partition: 1);
        harness.Pipe(Events.Of("e2", "checkout_completed", "checkout", "s1", T0.AddSeconds(9), amount: 10, currency: "EUR"), partition: 1);
        harness.Pipe(Events.Of("e3", "checkout_started", "checkout", "s3", T0.AddSeconds(40)), partition: 1);
        harness.Commit();
        var before = harness.Repartitioned().Count;

        harness.Replay(1, fromOffset: 0);
        harness.Commit();
        Assert.Equal(before, harness.Repartitioned().Count);

        harness.AdvanceAllPartitions(CheckoutMinute0Final);
        harness.Replay(0, fromOffset: 0);
        harness.ReplayRepartition();
        harness.AdvanceAllPartitions(CheckoutMinute0Final.AddSeconds(1));

        Assert.Equal(
            KpiCounters.Zero with { Attempts = 2, SessionsStarted = 2, Successes = 1, SessionsConverted = 1, Revenue = CurrencyAmounts.Of("EUR", 10) },
            Assert.Single(harness.Table()).Value.Counters);
        Assert.Single(harness.Emitted(), e => e.Window.Segment.Key != "region=closer");
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
        harness.Commit();

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
        Assert.Equal(1, harness.SampleValue(MetricNames.RecordsDeadLettered, "domain-events", "missing-journey"));
    }

    [Fact]
    public void A_record_that_decodes_is_dead_lettered_with_its_user_id_pseudonymized_and_as_readable_as_before()
    {
        using var harness = new KpiTopologyHarness(T0);
        var withUser = Events.Of("e1", "checkout_started", null, "s1", T0, user: "MARKER-user-7");
        var withoutUser = Events.Of("e2", "checkout_started", null, "s2", T0, user: null);
        harness.Pipe(withUser);
        harness.Pipe(withoutUser);
        harness.Commit();

        var dead = harness.DeadLetters();
        Assert.Equal(["missing-journey", "missing-journey"], dead.Select(d => Header(d, HeaderNames.DeadLetterReason)));
        Assert.DoesNotContain("MARKER", Encoding.Latin1.GetString(dead[0].Value!), StringComparison.Ordinal);
        var pseudonym = new Pseudonymizer(Encoding.UTF8.GetBytes(KpiTopologyHarness.PseudonymizationKey)).Pseudonymize("MARKER-user-7").ToString();
        var decoded = harness.Events.Decode(dead[0].Value).Value!;
        Assert.Empty(decoded.Attributes);
        Assert.Equal(withUser with { UserId = pseudonym }, decoded with { Attributes = withUser.Attributes });
        Assert.Equal("user_id", Header(dead[0], HeaderNames.DeadLetterPseudonymized));
        // Nothing personal to replace: the record as it came.
        Assert.Equal(harness.Events.Encode(withoutUser), dead[1].Value);
        Assert.Null(Header(dead[1], HeaderNames.DeadLetterPseudonymized));
    }

    [Property(MaxTest = 60)]
    public bool The_emitted_table_equals_the_oracle_whatever_is_duplicated_or_replayed(int seed, PositiveInt sessionCount)
    {
        var input = SyntheticTraffic.Generate(seed, sessionCount.Get % 60 + 1, T0, TimeSpan.FromMinutes(4));
        var random = new Random(seed);
        var withDuplicates = input.SelectMany(e => random.Next(5) == 0 ? new[] { e, e } : [e]).ToList();
        using var harness = new KpiTopologyHarness(T0);
        foreach (var (e, i) in withDuplicates.Select((e, i) => (e, i)))
        {
            harness.Pipe(e);
            if (random.Next(10) == 0)
            {
                harness.Commit();
            }

            if (random.Next(20) == 0)
            {
                var partition = random.Next(KpiTopologyHarness.InputPartitions);
                harness.Replay(partition, fromOffset: random.Next(i + 1));
            }
        }

        // Past the horizon of the hour window of every input minute, with the wall clock close enough to accept it.
        harness.Clock.Advance(TimeSpan.FromMinutes(30));
        harness.AdvanceAllPartitions(T0.AddMinutes(80));

        var expected = KpiOracle.Expect(withDuplicates, SampleJourneys.Catalog, SyntheticInput.WindowSizes);
        var emitted = harness.Emitted().Where(e => e.Window.Segment.Key != "region=closer").ToList();
        var actual = harness.Table();
        return emitted.Count == actual.Count
            && expected.Count == actual.Count
            && expected.All(kv => actual.TryGetValue(kv.Key, out var w) && w == kv.Value);
    }

    [Fact]
    public void Events_of_a_session_past_the_most_it_is_followed_for_are_dead_lettered_not_counted()
    {
        using var harness = new KpiTopologyHarness(T0, maxEventsPerSession: 3);
        harness.Pipe(Events.Of("e1", "checkout_started", "checkout", "s1", T0.AddSeconds(5)));
        harness.Pipe(Events.Of("e2", "checkout_failed", "checkout", "s1", T0.AddSeconds(6)));
        harness.Pipe(Events.Of("e3", "checkout_failed", "checkout", "s1", T0.AddSeconds(7)));
        harness.Pipe(Events.Of("e4", "checkout_completed", "checkout", "s1", T0.AddSeconds(8), amount: 5, currency: "EUR"));
        harness.AdvanceAllPartitions(CheckoutMinute0Final);

        var window = Assert.Single(harness.Table(Minute)).Value;
        Assert.Equal(KpiCounters.Zero with { Attempts = 1, Failures = 2, SessionsStarted = 1 }, window.Counters);
        var dead = Assert.Single(harness.DeadLetters());
        Assert.Equal(("invalid-value", "session already counted 3 events of journey 'checkout', the most one session is followed for"), (Header(dead, HeaderNames.DeadLetterReason), Header(dead, HeaderNames.DeadLetterDetail)));
    }

    [Property(MaxTest = 60)]
    public bool Events_that_arrive_out_of_event_time_order_within_the_grace_period_give_the_oracle_table(int seed, PositiveInt sessionCount)
    {
        // Each event arrives up to just under the grace period after it happened, so none is late, but a
        // session's start may arrive after its outcome or after a later start.
        var random = new Random(seed);
        var input = SyntheticTraffic.Generate(seed, sessionCount.Get % 60 + 1, T0, TimeSpan.FromMinutes(4));
        var arrivals = input
            .Select(e => (Event: e, ArrivesAt: e.OccurredAt + TimeSpan.FromMilliseconds(random.Next((int)KpiTopologyHarness.Grace.TotalMilliseconds))))
            .OrderBy(a => a.ArrivesAt)
            .Select(a => a.Event)
            .ToList();
        using var harness = new KpiTopologyHarness(T0);
        foreach (var e in arrivals)
        {
            harness.Pipe(e);
            if (random.Next(10) == 0)
            {
                harness.Commit();
            }
        }

        harness.Clock.Advance(TimeSpan.FromMinutes(30));
        harness.AdvanceAllPartitions(T0.AddMinutes(80));

        var expected = KpiOracle.Expect(input, SampleJourneys.Catalog, SyntheticInput.WindowSizes);
        var actual = harness.Table();
        return expected.Count == actual.Count
            && expected.All(kv => actual.TryGetValue(kv.Key, out var w) && w == kv.Value)
            && !harness.Emitted().Any(e => e.Window.Counters.LateRecords > 0);
    }

    private static KpiWindow Window(string journey, DateTimeOffset start, params (string Name, string Value)[] segment) =>
        new(journey, Segment.FromAttributes(segment.ToImmutableSortedDictionary(s => s.Name, s => s.Value, StringComparer.Ordinal)), new TumblingWindow(start, Minute), KpiCounters.Zero);

    private static string? Header(OutgoingRecord record, string name) =>
        record.Headers.LastOrDefault(h => h.Key == name) is { } h ? Encoding.UTF8.GetString(h.Value) : null;
}
