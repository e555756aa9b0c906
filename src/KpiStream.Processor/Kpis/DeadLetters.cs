using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using KpiStream.Core.Validation;
using KpiStream.Processor.Conventions;
using KpiStream.Streaming.Processors;
using KpiStream.Streaming.Records;

namespace KpiStream.Processor.Kpis;

/// <summary>
/// Builds dead-letter records: the original key, value and headers, plus headers saying why and
/// where from; and always within <see cref="KpiOptions.MaxDeadLetterBytes"/>, because a dead letter
/// the producer refuses would fail the transaction and every replay of it, stopping the stream on
/// that record for good. What does not fit is cut, and headers say what and how large it was.
/// </summary>
public static class DeadLetters
{
    // librdkafka counts key, value and each header's name and value against message.max.bytes; a broker adds
    // the batch's and record's framing to that. Kept free, so a record of exactly the budget is accepted by both.
    private const int FramingAllowance = 512;

    // The detail names what was wrong, never a whole field: a long one is cut rather than crowding out the payload.
    private const int MaxDetailChars = 1024;

    public static Record<byte[]?, byte[]?> For(Record<byte[]?, byte[]?> original, RecordMetadata source, Rejection rejection, int maxBytes)
    {
        var detail = rejection.Detail.Length <= MaxDetailChars ? rejection.Detail : rejection.Detail[..MaxDetailChars] + "…";
        var added = ImmutableArray.Create(
            Header(HeaderNames.DeadLetterReason, rejection.Reason.Code()),
            Header(HeaderNames.DeadLetterDetail, detail),
            Header(HeaderNames.SourceTopic, source.Topic),
            Header(HeaderNames.SourcePartition, source.Partition.ToString(CultureInfo.InvariantCulture)),
            Header(HeaderNames.SourceOffset, source.Offset.ToString(CultureInfo.InvariantCulture)));
        var budget = maxBytes - FramingAllowance;
        var keyBytes = original.Key?.Length ?? 0;
        var valueBytes = original.Value?.Length ?? 0;
        var headerBytes = SizeOf(original.Headers);
        if (keyBytes + valueBytes + headerBytes + SizeOf(added) <= budget)
        {
            return original with { Headers = original.Headers.AddRange(added) };
        }

        // The sizes and what was cut are said in headers, reckoned in before anything is cut.
        var sizes = added.AddRange(ImmutableArray.Create(
            Header(HeaderNames.OriginalKeySize, keyBytes.ToString(CultureInfo.InvariantCulture)),
            Header(HeaderNames.OriginalValueSize, valueBytes.ToString(CultureInfo.InvariantCulture)),
            Header(HeaderNames.OriginalHeadersSize, headerBytes.ToString(CultureInfo.InvariantCulture))));
        var left = budget - SizeOf(sizes) - SizeOf([Header(HeaderNames.DeadLetterHeaders, "omitted"), Header(HeaderNames.DeadLetterKey, "truncated"), Header(HeaderNames.DeadLetterPayload, "truncated")]);

        // What helps find the record again comes first: its own headers (trace ids) when small, then the key, then the value.
        var keepHeaders = headerBytes <= left / 4;
        left -= keepHeaders ? headerBytes : 0;
        var key = Prefix(original.Key, left / 2);
        left -= key?.Length ?? 0;
        var value = Prefix(original.Value, left);
        var headers = keepHeaders ? original.Headers.AddRange(sizes) : sizes.Add(Header(HeaderNames.DeadLetterHeaders, "omitted"));
        if ((key?.Length ?? 0) < keyBytes)
        {
            headers = headers.Add(Header(HeaderNames.DeadLetterKey, "truncated"));
        }

        if ((value?.Length ?? 0) < valueBytes)
        {
            headers = headers.Add(Header(HeaderNames.DeadLetterPayload, value is { Length: > 0 } ? "truncated" : "omitted"));
            value = value is { Length: > 0 } ? value : null;
        }

        return new Record<byte[]?, byte[]?>(key, value, original.Timestamp, headers);
    }

    /// <summary>
    /// A record that could not be decoded, as <paramref name="payloads"/> says to keep it: whole, or
    /// only its key, with a header saying the rest was dropped.
    /// </summary>
    public static Record<byte[]?, byte[]?> Undecodable(Record<byte[]?, byte[]?> original, DeadLetterPayloads payloads) =>
        payloads == DeadLetterPayloads.Keep || original.Value is null
            ? original
            : new Record<byte[]?, byte[]?>(original.Key, null, original.Timestamp, [Header(HeaderNames.DeadLetterPayload, "dropped")]);

    /// <summary>A record that decoded, with its value re-encoded by the caller so that its personal fields are pseudonymized, said in a header.</summary>
    public static Record<byte[]?, byte[]?> Pseudonymized(Record<byte[]?, byte[]?> original, byte[] value, IEnumerable<string> fields) =>
        original with { Value = value, Headers = original.Headers.Add(Header(HeaderNames.DeadLetterPseudonymized, string.Join(",", fields))) };

    /// <summary>Counts and forwards the record being processed to the dead-letter sink <paramref name="childName"/>.</summary>
    public static void Send(IProcessorContext context, IKpiMetrics metrics, Record<byte[]?, byte[]?> original, Rejection rejection, int maxBytes, string childName)
    {
        var source = context.RecordMetadata ?? throw new InvalidOperationException("Dead letters are sent while processing a record, never from a punctuation.");
        metrics.DeadLettered(source.Topic, rejection.Reason);
        context.Forward(For(original, source, rejection, maxBytes), childName);
    }

    private static RecordHeader Header(string key, string value) => new(key, Encoding.UTF8.GetBytes(value));

    private static int SizeOf(ImmutableArray<RecordHeader> headers)
    {
        var size = 0;
        foreach (var header in headers)
        {
            size += Encoding.UTF8.GetByteCount(header.Key) + (header.Value?.Length ?? 0);
        }

        return size;
    }

    private static byte[]? Prefix(byte[]? bytes, int length) =>
        bytes is null || bytes.Length <= length ? bytes : bytes[..Math.Max(0, length)];
}
