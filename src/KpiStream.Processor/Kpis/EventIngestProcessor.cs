using KpiStream.Core.Events;
using KpiStream.Core.Kpis;
using KpiStream.Core.Privacy;
using KpiStream.Core.Validation;
using KpiStream.Processor.Conventions;
using KpiStream.Processor.Observability;
using KpiStream.Serialization.Avro;
using KpiStream.Streaming.Processors;
using KpiStream.Streaming.Records;

namespace KpiStream.Processor.Kpis;

/// <summary>
/// Stage 1, one task per domain-events partition: decodes and validates each record, dead-letters
/// what it cannot use, pseudonymizes user ids and re-keys valid events by journey|segment. On a
/// wall-clock schedule it broadcasts its stream time to every window task, so windows close even
/// on partitions that receive no events of their own.
/// </summary>
public sealed class EventIngestProcessor(
    AvroCodec<DomainEvent> codec,
    DomainEventValidator validator,
    Pseudonymizer pseudonymizer,
    KpiOptions options,
    KpiStreamMetrics metrics) : IProcessor<byte[]?, byte[]?>
{
    public const string ValidChild = "valid-events-sink";
    public const string DeadLetterChild = "ingest-dlq-sink";
    public const string TickChild = "stream-time-tick-sink";

    private IProcessorContext _context = null!;
    private DateTimeOffset _streamTime = DateTimeOffset.MinValue;
    private DateTimeOffset _lastTick = DateTimeOffset.MinValue;
    private DateTimeOffset _lastInputWallClock;

    public void Init(IProcessorContext context)
    {
        _context = context;
        _lastInputWallClock = context.WallClockTime;
        context.Schedule(options.TickInterval, PunctuationType.WallClockTime, Tick);
    }

    public void Process(Record<byte[]?, byte[]?> record)
    {
        _lastInputWallClock = _context.WallClockTime;
        var decoded = codec.Decode(record.Value);
        if (decoded.Rejection is { } undecodable)
        {
            DeadLetters.Send(_context, metrics, record, undecodable, DeadLetterChild);
            return;
        }

        var (valid, rejection) = validator.Validate(decoded.Value!, _context.WallClockTime);
        if (rejection is not null)
        {
            DeadLetters.Send(_context, metrics, record, rejection, DeadLetterChild);
            return;
        }

        var domainEvent = valid!.Event.UserId is { } userId ? valid.Event with { UserId = pseudonymizer.Pseudonymize(userId) } : valid.Event;
        var key = $"{valid.Journey.Name}|{Segment.Of(valid.Journey, domainEvent).Key}";
        _context.Forward(new Record<string, DomainEvent>(key, domainEvent, domainEvent.OccurredAt, record.Headers), ValidChild);
        if (domainEvent.OccurredAt > _streamTime)
        {
            _streamTime = domainEvent.OccurredAt;
        }
    }

    public void Close()
    {
    }

    private void Tick(DateTimeOffset wallClock)
    {
        var idleFor = wallClock - _lastInputWallClock;
        var time = idleFor > options.IdleAdvanceAfter && wallClock - options.IdleAdvanceAfter > _streamTime
            ? wallClock - options.IdleAdvanceAfter
            : _streamTime;
        if (time <= _lastTick)
        {
            return;
        }

        _lastTick = time;
        var tick = new Record<byte[]?, byte[]?>(null, null, time, []).WithHeader(HeaderNames.StreamTimeTick, "1");
        _context.Forward(tick, TickChild);
    }
}
