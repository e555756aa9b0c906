using KpiStream.Core.Events;
using KpiStream.Core.Validation;
using KpiStream.Processor.Conventions;
using KpiStream.Processor.Kpis;
using KpiStream.Serialization.Avro;
using KpiStream.Streaming.Processors;
using KpiStream.Streaming.Records;

namespace KpiStream.Processor.Kpis.Telemetry;

/// <summary>
/// Stage 1 for the deployments topic: decodes deployment markers, dead-letters what it cannot
/// read, and sends each marker to every window-stage partition, where the SLO evaluators keep the
/// recent ones for deploy correlation. Markers are facts with ids, so a replay re-sends the same.
/// </summary>
public sealed class DeploymentProcessor(AvroCodec<DeploymentMarker> codec, KpiOptions options, IKpiMetrics metrics) : IProcessor<byte[]?, byte[]?>
{
    private IProcessorContext _context = null!;

    public void Init(IProcessorContext context) => _context = context;

    public void Process(Record<byte[]?, byte[]?> record)
    {
        var decoded = codec.Decode(record.Value).OrWait();
        if (decoded.Value is not { } marker)
        {
            DeadLetters.Send(_context, metrics, DeadLetters.Undecodable(record, options.UndecodablePayloads), decoded.Rejection!, options.MaxDeadLetterBytes, KpiTopology.DeploymentDeadLetterSink);
            return;
        }

        if (string.IsNullOrWhiteSpace(marker.DeployId) || string.IsNullOrWhiteSpace(marker.Service))
        {
            DeadLetters.Send(_context, metrics, record, new Rejection(DeadLetterReason.MissingField, "deploy_id or service is empty"), options.MaxDeadLetterBytes, KpiTopology.DeploymentDeadLetterSink);
            return;
        }

        var tooLong = TextLimits.TooLong("deploy_id", marker.DeployId, TextLimits.MaxNameLength)
            ?? TextLimits.TooLong("service", marker.Service, TextLimits.MaxNameLength)
            ?? TextLimits.TooLong("version", marker.Version, TextLimits.MaxNameLength)
            ?? TextLimits.TooLong("region", marker.Region, TextLimits.MaxNameLength)
            ?? TextLimits.TooLong("author", marker.Author, TextLimits.MaxDescriptionLength)
            ?? TextLimits.TooLong("description", marker.Description, TextLimits.MaxDescriptionLength);
        if (tooLong is not null)
        {
            DeadLetters.Send(_context, metrics, record, new Rejection(DeadLetterReason.InvalidValue, tooLong), options.MaxDeadLetterBytes, KpiTopology.DeploymentDeadLetterSink);
            return;
        }

        _context.Forward(new Record<string?, DeploymentMarker>(null, marker, marker.DeployedAt, []).WithHeader(HeaderNames.Deployment, "1"), KpiTopology.DeploymentMarkersSink);
    }

    public void Close()
    {
    }
}
