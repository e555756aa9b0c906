using System.CommandLine;
using KpiStream.Processor.Conventions;
using KpiStream.Processor.Hosting;

namespace KpiStream.Processor.Cli;

/// <summary>`kpistream alerts forward`: kpi.alerts to Alertmanager, as a process of its own.</summary>
internal static class AlertsCommand
{
    public static Command Create()
    {
        var bootstrap = new Option<string>("--bootstrap-servers") { Description = "Kafka bootstrap servers of the cluster kpi.alerts is on.", Required = true };
        var registryUrl = CliOptions.HttpUrl("--schema-registry-url", "Confluent Schema Registry URL the alerts' schemas are registered at.");
        registryUrl.Required = true;
        var (registryProperties, registryConfig) = CliOptions.RegistrySettings();
        var (kafkaProperties, kafkaConfig) = CliOptions.KafkaSettings();
        var topicPrefix = new Option<string>("--topic-prefix") { Description = "Prefix of the topic names, as given to `run`.", DefaultValueFactory = _ => "" };
        var applicationId = new Option<string>("--application-id") { Description = "The processor's application id; the forwarder's consumer group is <id>-alert-forwarder.", DefaultValueFactory = _ => "kpistream" };
        var alertmanager = CliOptions.Alertmanager();
        alertmanager.Urls.Required = true;
        var startupTimeout = CliOptions.StartupTimeout("the Kafka cluster to answer and kpi.alerts to exist");
        var metricsPort = new Option<int>("--metrics-port") { Description = "Port of /metrics, /healthz and /readyz (0 picks a free one).", DefaultValueFactory = _ => 9465 };
        var metricsAddress = CliOptions.IpAddress("--metrics-address", "Address /metrics, /healthz and /readyz listen on (default: every address of the machine).");
        var forward = new Command("forward", "Send every alert of kpi.alerts to Alertmanager (API v2), firing ones again at each resend interval.")
        {
            bootstrap, registryUrl, registryProperties, registryConfig, kafkaProperties, kafkaConfig, topicPrefix, applicationId, alertmanager.Urls, alertmanager.ResendInterval, alertmanager.Config, startupTimeout, metricsPort, metricsAddress,
        };
        forward.SetAction(async (parse, cancellationToken) => await AlertForwarderApp.RunAsync(
            new ForwardOptions
            {
                BootstrapServers = parse.GetValue(bootstrap)!,
                SchemaRegistryUrl = parse.GetValue(registryUrl)!,
                SchemaRegistryProperties = CliOptions.RegistrySettings(parse, (registryProperties, registryConfig)),
                KafkaProperties = CliOptions.KafkaSettings(parse, (kafkaProperties, kafkaConfig)),
                Topics = TopicNames.WithPrefix(parse.GetValue(topicPrefix)!),
                ApplicationId = parse.GetValue(applicationId)!,
                Alertmanager = CliOptions.Alertmanager(parse, alertmanager)!,
                StartupTimeout = parse.GetValue(startupTimeout) ?? Hosting.StartupTimeout.Default,
                MetricsPort = parse.GetValue(metricsPort),
                MetricsAddress = parse.GetValue(metricsAddress),
            },
            Console.Out,
            cancellationToken));
        return new Command("alerts", "Work with kpi.alerts.") { forward };
    }
}
