using KpiStream.Core.Events;
using KpiStream.Core.Journeys;
using KpiStream.Core.Kpis;
using KpiStream.Core.Validation;
using KpiStream.Processor.Kpis;
using KpiStream.Processor.Kpis.Partials;
using KpiStream.Serialization.Avro;
using KpiStream.Streaming.Processors;
using KpiStream.Streaming.Records;

namespace KpiStream.Processor.Kpis.Telemetry;

/// <summary>
/// Stage 1 for service-telemetry, one task per partition: decodes and validates requests,
/// dead-letters what it cannot use, and folds each request into the minute partials of the
/// journeys its service serves (requests, errors, latency), sent to stage 2 beside the funnel's.
/// Its sources are numbered after the domain-events partitions.
/// </summary>
/// <remarks>
/// Requests carry no id, so a request produced twice counts twice; replays of the same offsets
/// never do (per-entry applied offsets, as in the funnel).
/// </remarks>
public sealed class TelemetryProcessor(
    AvroCodec<ServiceTelemetry> codec,
    JourneyCatalog catalog,
    ServiceTelemetryValidator validator,
    KpiOptions options,
    int domainEventPartitions,
    IKpiMetrics metrics) : IProcessor<byte[]?, byte[]?>, ICommitListener
{
    private readonly MinutePartials _partials = new(catalog, options, sourceIdBase: domainEventPartitions, advanceBeforeFirstInput: false);
    private IProcessorContext _context = null!;

    public void Init(IProcessorContext context)
    {
        _context = context;
        _partials.Init(context, KpiTopology.TelemetryPartialsStore, KpiTopology.TelemetryClockStore);
    }

    public void Process(Record<byte[]?, byte[]?> record)
    {
        var offset = _context.RecordMetadata!.Value.Offset;
        if (!_partials.TryAdmit(offset))
        {
            return;
        }

        var decoded = codec.Decode(record.Value).OrWait();
        var (request, rejection) = decoded.Value is { } value ? validator.Validate(value, _context.WallClockTime) : (null, decoded.Rejection);
        if (rejection is not null)
        {
            DeadLetters.Send(_context, metrics, decoded.Value is null ? DeadLetters.Undecodable(record, options.UndecodablePayloads) : record, rejection, options.MaxDeadLetterBytes, KpiTopology.TelemetryDeadLetterSink);
            _partials.Pass(offset);
            return;
        }

        // Every valid request moves stream time, attributed or not: it is evidence of how far the partition has come.
        var streamTime = _partials.Advance(offset, request!.Timestamp);
        var deltas = TelemetryAttribution.Deltas(catalog, request, options.WindowSize);
        if (deltas.Count == 0)
        {
            metrics.UnattributedRequest(request.Service);
            return;
        }

        if (_partials.IsLate(request.Timestamp, streamTime))
        {
            foreach (var delta in deltas)
            {
                metrics.LateRecord(delta.Key.Journey);
            }

            _partials.Apply(offset, [.. deltas.Select(d => d.ReportedLateAt(streamTime, options.WindowSize))]);
            return;
        }

        _partials.Apply(offset, deltas);
    }

    public void BeforeCommit() => _partials.BeforeCommit(KpiTopology.TelemetrySnapshotsSink, KpiTopology.TelemetryTicksSink);

    public void Close()
    {
    }
}
