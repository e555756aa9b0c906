using System.Globalization;
using KpiStream.Core.Validation;
using KpiStream.Processor.Conventions;
using KpiStream.Processor.Observability;
using KpiStream.Streaming.Processors;
using KpiStream.Streaming.Records;

namespace KpiStream.Processor.Kpis;

/// <summary>Builds dead-letter records: the original key, value and headers, plus headers saying why and where from.</summary>
public static class DeadLetters
{
    public static Record<byte[]?, byte[]?> For(Record<byte[]?, byte[]?> original, RecordMetadata source, Rejection rejection) =>
        original
            .WithHeader(HeaderNames.DeadLetterReason, rejection.Reason.Code())
            .WithHeader(HeaderNames.DeadLetterDetail, rejection.Detail)
            .WithHeader(HeaderNames.SourceTopic, source.Topic)
            .WithHeader(HeaderNames.SourcePartition, source.Partition.ToString(CultureInfo.InvariantCulture))
            .WithHeader(HeaderNames.SourceOffset, source.Offset.ToString(CultureInfo.InvariantCulture));

    /// <summary>Counts and forwards the record being processed to the dead-letter sink <paramref name="childName"/>.</summary>
    public static void Send(IProcessorContext context, KpiStreamMetrics metrics, Record<byte[]?, byte[]?> original, Rejection rejection, string childName)
    {
        var source = context.RecordMetadata ?? throw new InvalidOperationException("Dead letters are sent while processing a record, never from a punctuation.");
        metrics.DeadLettered(source.Topic, rejection.Reason);
        context.Forward(For(original, source, rejection), childName);
    }
}
