using KpiStream.Streaming.Provisioning;

namespace KpiStream.Processor.Conventions;

/// <summary>Every topic KpiStream reads or writes, with the defaults operators see in the README.</summary>
public sealed record TopicNames
{
    public string DomainEvents { get; init; } = "domain-events";

    public string ServiceTelemetry { get; init; } = "service-telemetry";

    public string Deployments { get; init; } = "deployments";

    public string KpiWindowed { get; init; } = "kpi.windowed";

    public string KpiAlerts { get; init; } = "kpi.alerts";

    public string KpiIncidents { get; init; } = "kpi.incidents";

    public string DeadLetter { get; init; } = "kpi.dlq";

    /// <summary>The default names with <paramref name="prefix"/> in front, for several deployments sharing one cluster.</summary>
    public static TopicNames WithPrefix(string prefix)
    {
        var defaults = new TopicNames();
        return new TopicNames
        {
            DomainEvents = prefix + defaults.DomainEvents,
            ServiceTelemetry = prefix + defaults.ServiceTelemetry,
            Deployments = prefix + defaults.Deployments,
            KpiWindowed = prefix + defaults.KpiWindowed,
            KpiAlerts = prefix + defaults.KpiAlerts,
            KpiIncidents = prefix + defaults.KpiIncidents,
            DeadLetter = prefix + defaults.DeadLetter,
        };
    }

    /// <summary>Internal: stage 1's pre-aggregated partials and stream-time ticks, keyed by journey, feeding the window stage.</summary>
    public static string Repartition(string applicationId) => $"{applicationId}-partials-by-journey-repartition";

    /// <summary>
    /// Configs of the alert and incident topics. Their records are keyed by alert episode or incident, each with its status as of
    /// that change, so compaction keeps every alert's and incident's latest record for as long as the topic lives: the forwarder,
    /// reading from the beginning, still finds an alert that has fired for longer than a retention would have kept. A record may
    /// be compacted away only once it is a week old, so readers that follow the topic see every change.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> LatestStatePerKey = new Dictionary<string, string>
    {
        ["cleanup.policy"] = "compact",
        ["min.compaction.lag.ms"] = "604800000",
    };

    /// <summary>Every topic KpiStream needs, with the partition counts it creates them with.</summary>
    /// <param name="inputPartitions">Partitions of the input topics and of the repartition topic, which must match for co-partitioning.</param>
    public IReadOnlyList<TopicSpec> Required(string applicationId, int inputPartitions) =>
    [
        new(DomainEvents, inputPartitions),
        new(ServiceTelemetry, inputPartitions),
        new(Deployments, 1),
        new(Repartition(applicationId), inputPartitions),
        new(KpiWindowed, 3, Configs: new Dictionary<string, string> { ["cleanup.policy"] = "compact" }),
        new(KpiAlerts, 1, Configs: LatestStatePerKey),
        new(KpiIncidents, 1, Configs: LatestStatePerKey),
        new(DeadLetter, 1),
    ];
}
