using System.Net;
using KpiStream.Processor.Conventions;
using KpiStream.Processor.Forwarding;
using KpiStream.Streaming.Runtime;

namespace KpiStream.Processor.Hosting;

/// <summary>Everything `kpistream alerts forward` needs, as parsed from the command line.</summary>
public sealed record ForwardOptions
{
    public required string BootstrapServers { get; init; }

    public required Uri SchemaRegistryUrl { get; init; }

    public IReadOnlyDictionary<string, string> SchemaRegistryProperties { get; init; } = new Dictionary<string, string>();

    public IReadOnlyDictionary<string, string> KafkaProperties { get; init; } = new Dictionary<string, string>();

    public TopicNames Topics { get; init; } = new();

    /// <summary>The processor's application id: the forwarder's group is <c>&lt;id&gt;-alert-forwarder</c>.</summary>
    public string ApplicationId { get; init; } = "kpistream";

    public required AlertmanagerOptions Alertmanager { get; init; }

    /// <summary>How long start-up waits for the cluster to answer and kpi.alerts to exist before it gives up with exit code 1.</summary>
    public TimeSpan StartupTimeout { get; init; } = Hosting.StartupTimeout.Default;

    public int MetricsPort { get; init; } = 9465;

    public IPAddress? MetricsAddress { get; init; }

    public string SchemasDirectory { get; init; } = Path.Combine(AppContext.BaseDirectory, "schemas");

    public string GroupId => $"{ApplicationId}-alert-forwarder";

    public void Validate()
    {
        Alertmanager.Validate();
        KafkaNames.Require(ApplicationId, "--application-id");
        Hosting.StartupTimeout.Validate(StartupTimeout);
        if (MetricsPort is < 0 or > 65535)
        {
            throw new ArgumentException($"--metrics-port: expected 0 (any free port) to 65535, got {MetricsPort}.");
        }
    }
}
