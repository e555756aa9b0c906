using System.CommandLine;
using KpiStream.EmbeddedKafka;
using KpiStream.Processor.Configuration;
using KpiStream.Processor.Hosting;

namespace KpiStream.Processor.Cli;

/// <summary>`kpistream kafka`: the embedded development cluster alone, with KpiStream's topics created.</summary>
internal static class KafkaCommand
{
    public static Command Create()
    {
        var brokers = CliOptions.Brokers();
        var partitions = CliOptions.Partitions();
        var applicationId = new Option<string>("--application-id") { Description = "Application id whose internal topics to create.", DefaultValueFactory = _ => "kpistream" };
        var config = CliOptions.Config();
        var command = new Command("kafka", "Run only the embedded Kafka-protocol cluster (a development broker, not for production) until stopped.")
        {
            brokers, partitions, applicationId, config,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var cluster = EmbeddedKafkaCluster.Start(parse.GetValue(brokers));
            var defaults = new RunOptions { ApplicationId = parse.GetValue(applicationId)!, InputPartitions = parse.GetValue(partitions), ConfigPath = ConfigPath.Resolve(parse.GetValue(config)!) };
            foreach (var topic in KpiStreamApp.TopicsFor(defaults))
            {
                cluster.CreateTopic(topic.Name, topic.Partitions);
            }

            Console.Out.WriteLine($"Embedded Kafka (development broker: keeps ~5 MiB per partition, does not hide aborted transactions) bootstrap servers: {cluster.BootstrapServers}");
            await Console.Out.FlushAsync(cancellationToken);
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                Console.Out.WriteLine("Embedded Kafka stopped.");
            }

            return 0;
        });
        return command;
    }
}
