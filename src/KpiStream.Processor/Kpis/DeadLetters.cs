using System.Globalization;
using KpiStream.Core.Validation;
using KpiStream.Processor.Conventions;
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
}
