using KpiStream.Processor.Conventions;

namespace KpiStream.UnitTests.Conventions;

public class TopicNamesTests
{
    [Fact]
    public void Outputs_read_as_tables_are_compacted_and_alerts_and_incidents_keep_every_change_for_a_week()
    {
        var required = TopicNames.WithPrefix("team1.").Required("team-a", 4);
        var topics = required.ToDictionary(t => t.Name);

        Assert.Equal(new Dictionary<string, string> { ["cleanup.policy"] = "compact" }, topics["team1.kpi.windowed"].Configs);
        var latestState = new Dictionary<string, string> { ["cleanup.policy"] = "compact", ["min.compaction.lag.ms"] = "604800000" };
        Assert.Equal(latestState, topics["team1.kpi.alerts"].Configs);
        Assert.Equal(latestState, topics["team1.kpi.incidents"].Configs);
        // Logs: inputs and dead letters are kept by the cluster's retention, never compacted.
        Assert.All(new[] { "team1.domain-events", "team1.service-telemetry", "team1.deployments", "team1.kpi.dlq", "team-a-partials-by-journey-repartition" }, t => Assert.Null(topics[t].Configs));
        Assert.Equal([4, 4, 1, 4, 3, 1, 1, 1], required.Select(t => t.Partitions));
    }
}
