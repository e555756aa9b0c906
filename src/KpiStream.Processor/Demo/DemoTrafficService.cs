using Confluent.Kafka;
using KpiStream.Core.Events;
using KpiStream.Serialization.Avro;
using KpiStream.Serialization.Mapping;
using KpiStream.Serialization.Registry;
using KpiStream.Processor.Conventions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KpiStream.Processor.Demo;

/// <summary>Produces the demo traffic to Kafka in the Confluent wire format, with event time running <see cref="DemoOptions.SpeedUp"/> times faster than the wall clock.</summary>
public sealed class DemoTrafficService(
    DemoOptions options,
    TopicNames topics,
    string bootstrapServers,
    SchemaSet schemas,
    ISchemaRegistry registry,
    TimeProvider clock,
    ILogger<DemoTrafficService> logger) : BackgroundService
{
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(100);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var events = new AvroCodec<DomainEvent>(new DomainEventMapper(schemas.DomainEvent), registry, topics.DomainEvents);
        var telemetry = new AvroCodec<ServiceTelemetry>(new ServiceTelemetryMapper(schemas.ServiceTelemetry), registry, topics.ServiceTelemetry);
        var deployments = new AvroCodec<DeploymentMarker>(new DeploymentMarkerMapper(schemas.DeploymentMarker), registry, topics.Deployments);
        using var producer = new ProducerBuilder<string?, byte[]>(new ProducerConfig { BootstrapServers = bootstrapServers, LingerMs = 20, EnableIdempotence = true }).Build();
        var wallStart = clock.GetUtcNow();
        // Starting on a whole minute puts scenario onsets on minute boundaries, so a scenario's input
        // falls into the same minute buckets on every run.
        var behind = wallStart - options.StartBehindNow;
        var eventStart = behind - TimeSpan.FromTicks(behind.UtcTicks % TimeSpan.TicksPerMinute);
        var generator = new DemoTrafficGenerator(options, topics, eventStart);
        long produced = 0;
        logger.LogInformation("Demo traffic: {Rate} sessions/s of event time at {SpeedUp}x, event time starting {Start:O}", options.SessionsPerSecond, options.SpeedUp, eventStart);
        if (options.Scenario.Journey is not null)
        {
            logger.LogInformation(
                "Demo scenario {Scenario}: {Description} Onset at event time {Onset:O} (in about {Wall:0} s), lasting {Duration}",
                options.Scenario.Name, options.Scenario.Description, eventStart + options.Scenario.Onset, options.Scenario.Onset.TotalSeconds / options.SpeedUp, options.Scenario.Duration);
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = eventStart + ((clock.GetUtcNow() - wallStart) * options.SpeedUp);
            foreach (var record in generator.Advance(now))
            {
                var value = record.Payload switch
                {
                    DomainEvent e => events.Encode(e),
                    ServiceTelemetry t => telemetry.Encode(t),
                    DeploymentMarker d => deployments.Encode(d),
                    byte[] raw => raw,
                    _ => throw new InvalidOperationException($"Unexpected demo payload {record.Payload.GetType()}."),
                };
                producer.Produce(record.Topic, new Message<string?, byte[]> { Key = record.Key, Value = value });
                produced++;
            }

            try
            {
                await Task.Delay(Step, clock, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        producer.Flush(TimeSpan.FromSeconds(5));
        logger.LogInformation("Demo traffic stopped after {Produced} records", produced);
    }
}
