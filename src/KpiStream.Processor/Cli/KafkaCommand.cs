using System.CommandLine;
using KpiStream.EmbeddedKafka;
using KpiStream.Processor.Configuration;
using KpiStream.Processor.Conventions;
using KpiStream.Processor.Hosting;
using KpiStream.Serialization.Avro;

namespace KpiStream.Processor.Cli;

/// <summary>`kpistream kafka`: the embedded development cluster alone, with KpiStream's topics created.</summary>
internal static class KafkaCommand
{
    public static Command Create()
    {
        var brokers = CliOptions.Brokers();
        var partitions = CliOptions.Partitions();
        var applicationId = new Option<string>("--application-id") { Description = "Application id whose internal topics to create.", DefaultValueFactory = _ => "kpistream" };
        var topicPrefix = new Option<string>("--topic-prefix") { Description = "Prefix of the input and output topics to create, as given to `run`.", DefaultValueFactory = _ => "" };
        var config = CliOptions.Config();
        var registryPort = CliOptions.SchemaRegistryPort();
        var command = new Command("kafka", "Run only the development stack, the embedded Kafka-protocol cluster (a development broker, not for production) and the embedded Schema Registry, until stopped.")
        {
            brokers, partitions, applicationId, topicPrefix, config, registryPort,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            // The topics `run` with the same options needs; checked as `run` checks them, before the cluster starts.
            var options = new RunOptions
            {
                ApplicationId = parse.GetValue(applicationId)!,
                Topics = TopicNames.WithPrefix(parse.GetValue(topicPrefix)!),
                EmbeddedBrokers = parse.GetValue(brokers),
                InputPartitions = parse.GetValue(partitions),
                ConfigPath = ConfigPath.Resolve(parse.GetValue(config)!),
                SchemaRegistryPort = parse.GetValue(registryPort),
            };
            options.Validate();
            var topics = KpiStreamApp.TopicsFor(options);
            using var cluster = EmbeddedKafkaCluster.Start(options.EmbeddedBrokers);
            foreach (var topic in topics)
            {
                cluster.CreateTopic(topic.Name, topic.Partitions);
            }

            Console.Out.WriteLine($"Embedded Kafka (development broker: keeps ~5 MiB per partition, does not hide aborted transactions) bootstrap servers: {cluster.BootstrapServers}");
            await using var registry = await DevelopmentRegistry.StartAsync(SchemaSet.Load(options.SchemasDirectory), options.Topics, options.SchemaRegistryPort, Console.Out, cancellationToken);
            await Console.Out.FlushAsync(cancellationToken);
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                Console.Out.WriteLine("Embedded Kafka and Schema Registry stopped.");
            }

            return 0;
        });
        return command;
    }
}
