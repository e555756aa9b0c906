using System.CommandLine;
using KpiStream.EmbeddedKafka;
using KpiStream.Processor.Conventions;
using KpiStream.Processor.Hosting;

namespace KpiStream.Processor.Cli;

/// <summary>`kpistream kafka`: the embedded development cluster alone, with KpiStream's topics created.</summary>
internal static class KafkaCommand
{
    public static Command Create()
    {
        var brokers = CliOptions.Brokers();
        var partitions = new Option<int>("--partitions") { Description = "Partitions of input and repartition topics.", DefaultValueFactory = _ => 6 };
        var applicationId = new Option<string>("--application-id") { Description = "Application id whose internal topics to create.", DefaultValueFactory = _ => "kpistream" };
        var command = new Command("kafka", "Run only the embedded Kafka-protocol cluster (a development broker, not for production) until stopped.")
        {
            brokers, partitions, applicationId,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var cluster = EmbeddedKafkaCluster.Start(parse.GetValue(brokers));
            var topics = new TopicNames();
            var specs = new[] { topics.DomainEvents, topics.ServiceTelemetry, TopicNames.Repartition(parse.GetValue(applicationId)!) }
                .Select(t => (t, parse.GetValue(partitions)))
                .Concat([(topics.Deployments, 1), (topics.KpiWindowed, 3), (topics.KpiAlerts, 1), (topics.DeadLetter, 1)]);
            foreach (var (topic, count) in specs)
            {
                cluster.CreateTopic(topic, count);
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
