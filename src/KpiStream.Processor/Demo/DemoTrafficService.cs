using Confluent.Kafka;
using KpiStream.Core.Events;
using KpiStream.Core.Journeys;
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
    JourneyCatalog catalog,
    IReadOnlyDictionary<string, string> clientConfig,
    SchemaSet schemas,
    ConfluentSchemaRegistryClient registry,
    TimeProvider clock,
    IHostApplicationLifetime lifetime,
    ILogger<DemoTrafficService> logger) : BackgroundService
{
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(100);

    /// <summary>A demo that fails stops the process with exit code 1: a demo that silently stopped would look like a healthy journey gone quiet.</summary>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await ProduceAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            logger.LogCritical(e, "Demo traffic failed; stopping");
            Environment.ExitCode = 1;
            lifetime.StopApplication();
        }
    }

    private async Task ProduceAsync(CancellationToken stoppingToken)
    {
        var events = new AvroCodec<DomainEvent>(new DomainEventMapper(schemas.DomainEvent), registry, topics.DomainEvents);
        var telemetry = new AvroCodec<ServiceTelemetry>(new ServiceTelemetryMapper(schemas.ServiceTelemetry), registry, topics.ServiceTelemetry);
        var deployments = new AvroCodec<DeploymentMarker>(new DeploymentMarkerMapper(schemas.DeploymentMarker), registry, topics.Deployments);
        using var producer = new ProducerBuilder<string?, byte[]>(new ProducerConfig(clientConfig.ToDictionary()) { LingerMs = 20, EnableIdempotence = true }).Build();
        var eventClock = new DemoClock(clock.GetUtcNow(), options);
        var eventStart = eventClock.EventStart;
        var generator = new DemoTrafficGenerator(options, topics, catalog, eventStart);
        long produced = 0;
        logger.LogInformation(
            "Demo traffic: {Rate} sessions/s of event time at {SpeedUp}x, event time starting {Start:O}; it catches up with the wall clock at {CatchUp:O} and keeps to it from then on",
            options.SessionsPerSecond, options.SpeedUp, eventStart, eventClock.CatchesUpAt);
        if (options.Scenario.Journey is not null)
        {
            logger.LogInformation(
                "Demo scenario {Scenario}: {Description} Onset at event time {Onset:O} (in about {Wall:0} s), lasting {Duration}",
                options.Scenario.Name, options.Scenario.Description, eventStart + options.Scenario.Onset, options.Scenario.Onset.TotalSeconds / options.SpeedUp, options.Scenario.Duration);
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = eventClock.EventTimeAt(clock.GetUtcNow());
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
