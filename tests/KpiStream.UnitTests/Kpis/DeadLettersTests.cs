using System.Collections.Immutable;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using KpiStream.Core.Validation;
using KpiStream.Processor.Conventions;
using KpiStream.Processor.Kpis;
using KpiStream.Streaming.Records;

namespace KpiStream.UnitTests.Kpis;

public class DeadLettersTests
{
    private const int Limit = 1_000_000;
    private static readonly RecordMetadata Source = new("domain-events", 4, 1234);
    private static readonly Rejection NotWireFormat = new(DeadLetterReason.NotWireFormat, "expected magic byte 0");
    private static readonly ImmutableArray<RecordHeader> Traced = [new("traceparent", "00-abc-01"u8.ToArray())];

    [Fact]
    public void A_record_that_fits_is_kept_whole_with_the_reason_and_source_headers_added()
    {
        var original = new Record<byte[]?, byte[]?>("k1"u8.ToArray(), new byte[900_000], DateTimeOffset.UnixEpoch, Traced);

        var dead = DeadLetters.For(original, Source, NotWireFormat, Limit);

        Assert.Same(original.Value, dead.Value);
        Assert.Equal(original.Key, dead.Key);
        Assert.Equal(
            ["traceparent", HeaderNames.DeadLetterReason, HeaderNames.DeadLetterDetail, HeaderNames.SourceTopic, HeaderNames.SourcePartition, HeaderNames.SourceOffset],
            dead.Headers.Select(h => h.Key));
        Assert.Equal(("not-wire-format", "domain-events", "4", "1234"), (dead.Header(HeaderNames.DeadLetterReason), dead.Header(HeaderNames.SourceTopic), dead.Header(HeaderNames.SourcePartition), dead.Header(HeaderNames.SourceOffset)));
    }

    [Fact]
    public void A_value_over_the_limit_is_cut_to_a_prefix_that_fits_and_the_headers_say_so()
    {
        var value = Enumerable.Range(0, 2 * 1024 * 1024).Select(i => (byte)i).ToArray();
        var original = new Record<byte[]?, byte[]?>("k1"u8.ToArray(), value, DateTimeOffset.UnixEpoch, Traced);

        var dead = DeadLetters.For(original, Source, new Rejection(DeadLetterReason.PayloadTooLarge, "value is 2097152 bytes"), Limit);

        Assert.Equal("truncated", dead.Header(HeaderNames.DeadLetterPayload));
        Assert.Equal(("2", "2097152", "20"), (dead.Header(HeaderNames.OriginalKeySize), dead.Header(HeaderNames.OriginalValueSize), dead.Header(HeaderNames.OriginalHeadersSize)));
        Assert.Equal("00-abc-01", dead.Header("traceparent"));
        Assert.Null(dead.Header(HeaderNames.DeadLetterKey));
        Assert.Null(dead.Header(HeaderNames.DeadLetterHeaders));
        Assert.Equal(value.AsSpan(0, dead.Value!.Length).ToArray(), dead.Value);
        Assert.InRange(SizeOf(dead), Limit - 512 - 200, Limit - 512);
    }

    [Fact]
    public void A_key_over_the_limit_is_cut_and_a_small_value_kept_whole()
    {
        var original = new Record<byte[]?, byte[]?>(new byte[3_000_000], "v"u8.ToArray(), DateTimeOffset.UnixEpoch, []);

        var dead = DeadLetters.For(original, Source, NotWireFormat, Limit);

        Assert.Equal(("truncated", (string?)null), (dead.Header(HeaderNames.DeadLetterKey), dead.Header(HeaderNames.DeadLetterPayload)));
        Assert.Equal("v"u8.ToArray(), dead.Value);
        Assert.True(SizeOf(dead) <= Limit - 512);
    }

    [Fact]
    public void Headers_too_large_to_keep_are_omitted_and_the_value_is_omitted_when_nothing_is_left_for_it()
    {
        ImmutableArray<RecordHeader> huge = [new("blob", new byte[5000])];
        var original = new Record<byte[]?, byte[]?>(null, new byte[5000], DateTimeOffset.UnixEpoch, huge);

        var dead = DeadLetters.For(original, Source, new Rejection(DeadLetterReason.NotWireFormat, new string('x', 600)), 1000);

        Assert.True(SizeOf(dead) <= 1000);
        Assert.Equal(("omitted", "omitted", "5004"), (dead.Header(HeaderNames.DeadLetterHeaders), dead.Header(HeaderNames.DeadLetterPayload), dead.Header(HeaderNames.OriginalHeadersSize)));
        Assert.Null(dead.Value);
        Assert.Null(dead.Header("blob"));
        Assert.Equal("not-wire-format", dead.Header(HeaderNames.DeadLetterReason));
    }

    [Property(MaxTest = 300)]
    public Property Every_dead_letter_fits_the_limit_keeps_prefixes_of_the_original_and_names_its_reason(NonNegativeInt keySize, NonNegativeInt valueSize, NonNegativeInt headerSize, PositiveInt limitSeed)
    {
        var limit = 2000 + limitSeed.Get % 200_000;
        var key = Enumerable.Range(0, keySize.Get % 300_000).Select(i => (byte)(i * 7)).ToArray();
        var value = Enumerable.Range(0, valueSize.Get % 300_000).Select(i => (byte)(i * 13)).ToArray();
        ImmutableArray<RecordHeader> headers = headerSize.Get % 3 == 0 ? [] : [new("h", new byte[headerSize.Get % 100_000])];
        var original = new Record<byte[]?, byte[]?>(key, value, DateTimeOffset.UnixEpoch, headers);

        var dead = DeadLetters.For(original, Source, NotWireFormat, limit);

        var whole = dead.Value?.Length == value.Length && dead.Key!.Length == key.Length;
        return (SizeOf(dead) <= limit - 512
                && dead.Header(HeaderNames.DeadLetterReason) == "not-wire-format"
                && key.AsSpan().StartsWith(dead.Key ?? [])
                && value.AsSpan().StartsWith(dead.Value ?? [])
                && (whole || dead.Header(HeaderNames.OriginalValueSize) == value.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)))
            .ToProperty().Label($"size {SizeOf(dead)}, limit {limit}");
    }

    private static int SizeOf(Record<byte[]?, byte[]?> record) =>
        (record.Key?.Length ?? 0) + (record.Value?.Length ?? 0) + record.Headers.Sum(h => Encoding.UTF8.GetByteCount(h.Key) + h.Value.Length);
}
