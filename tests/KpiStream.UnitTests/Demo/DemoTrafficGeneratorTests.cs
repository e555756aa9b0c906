using KpiStream.Core.Events;
using KpiStream.Core.Journeys;
using KpiStream.Processor.Configuration;
using KpiStream.Processor.Conventions;
using KpiStream.Processor.Demo;
using KpiStream.TestSupport;
using Xunit;

namespace KpiStream.UnitTests.Demo;

public sealed class DemoTrafficGeneratorTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 8, 0, 0, TimeSpan.Zero);
    private static readonly JourneyCatalog ShippedJourneys = JourneysFile.Load(Path.Combine(RepositoryPaths.Root, "config", "journeys.yaml"));
    private static readonly string[] StartTypes = ["checkout_started", "login_attempted", "signup_started"];

    [Fact]
    public void The_records_do_not_depend_on_how_often_the_demo_is_advanced()
    {
        var scenario = DemoScenario.Find("bad-deploy")!;
        var evenly = Run(scenario, Enumerable.Repeat(TimeSpan.FromSeconds(1), 3_600));
        var unevenly = Run(scenario, Enumerable.Range(0, 1_000).Select(i => TimeSpan.FromMilliseconds(((i * 7_919) % 13_000) + 1)));

        var common = Math.Min(evenly.Count, unevenly.Count);
        Assert.True(common > 10_000, $"expected an hour of traffic, got {common} records");
        Assert.Equal(evenly.Take(common).Select(Describe), unevenly.Take(common).Select(Describe));
        Assert.Equal(2, evenly.Count(r => r.Payload is DeploymentMarker));
    }

    [Fact]
    public void One_session_starts_per_slot_of_the_configured_rate()
    {
        var starts = Run(DemoScenario.Healthy, Enumerable.Repeat(TimeSpan.FromSeconds(10), 6))
            .Select(r => r.Payload).OfType<DomainEvent>()
            .Where(e => e.Journey is not null && StartTypes.Contains(e.EventType))
            .ToList();

        Assert.Equal(120, starts.Count);
        Assert.All(starts.Select((e, i) => (e, i)), x =>
            Assert.InRange(x.e.OccurredAt, Start + TimeSpan.FromSeconds(x.i * 0.5), Start + TimeSpan.FromSeconds((x.i + 1) * 0.5)));
    }

    [Fact]
    public void A_traffic_drop_stops_the_journeys_session_starts_for_exactly_its_duration()
    {
        var scenario = DemoScenario.Find("traffic-drop")!;
        var logins = Run(scenario, Enumerable.Repeat(TimeSpan.FromMinutes(1), 90))
            .Select(r => r.Payload).OfType<DomainEvent>()
            .Where(e => e.EventType == "login_attempted")
            .Select(e => e.OccurredAt - Start)
            .ToList();

        Assert.DoesNotContain(logins, at => at >= scenario.Onset && at < scenario.Onset + scenario.Duration);
        Assert.Contains(logins, at => at < scenario.Onset && at >= scenario.Onset - TimeSpan.FromSeconds(10));
        Assert.Contains(logins, at => at >= scenario.Onset + scenario.Duration && at < scenario.Onset + scenario.Duration + TimeSpan.FromSeconds(10));
    }

    private static List<DemoRecord> Run(DemoScenario scenario, IEnumerable<TimeSpan> steps)
    {
        var generator = new DemoTrafficGenerator(new DemoOptions { Scenario = scenario, MalformedShare = 0.01 }, new TopicNames(), ShippedJourneys, Start);
        var records = new List<DemoRecord>();
        var last = Start;
        foreach (var step in steps)
        {
            last += step;
            records.AddRange(generator.Advance(last));
        }

        return records;
    }

    private static string Describe(DemoRecord record) =>
        $"{record.Topic}|{record.Key}|{(record.Payload is byte[] raw ? Convert.ToHexString(raw) : record.Payload.ToString())}";
}
