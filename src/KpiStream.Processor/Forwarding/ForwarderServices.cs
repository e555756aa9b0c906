using KpiStream.Core.Slos;
using KpiStream.Serialization.Avro;
using KpiStream.Serialization.Mapping;
using KpiStream.Serialization.Registry;
using KpiStream.Streaming.Provisioning;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace KpiStream.Processor.Forwarding;

/// <summary>Adds the alert forwarder to a host: `kpistream alerts forward`, or `run --alertmanager-url` beside the processor.</summary>
public static class ForwarderServices
{
    /// <param name="clientConfig">The Kafka client settings, bootstrap servers and client id included.</param>
    /// <param name="groupId">The forwarder's own consumer group.</param>
    /// <param name="startupTimeout">How long the forwarder waits for the cluster and kpi.alerts when it starts.</param>
    public static IServiceCollection AddAlertForwarder(
        this IServiceCollection services,
        AlertmanagerOptions options,
        IReadOnlyDictionary<string, string> clientConfig,
        string alertsTopic,
        string groupId,
        TimeSpan startupTimeout,
        SchemaSet schemas,
        ConfluentSchemaRegistryClient registry,
        CollectorRegistry metrics)
    {
        options.Validate();
        services.AddSingleton(sp => new ForwarderConnection(
            clientConfig,
            new ClusterMetadataReader(clientConfig, startupTimeout, sp.GetRequiredService<ILogger<ForwarderConnection>>()),
            alertsTopic,
            groupId,
            options));
        services.AddSingleton(sp => new AlertForwarder(
            sp.GetRequiredService<ForwarderConnection>(),
            new AvroCodec<SloAlert>(new SloAlertMapper(schemas.Alert), registry, alertsTopic),
            options,
            new ForwarderMetrics(Metrics.WithCustomRegistry(metrics)),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<AlertForwarder>>()));
        services.AddHostedService(sp => sp.GetRequiredService<AlertForwarder>());
        return services;
    }
}
