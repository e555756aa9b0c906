using System.Collections.Immutable;
using KpiStream.Core.Kpis;
using KpiStream.Core.Windows;
using KpiStream.Processor.Kpis.Partials;
using KpiStream.Processor.Kpis.State;

namespace KpiStream.UnitTests.Kpis;

public sealed class PartialSnapshotCodecTests
{
    private static readonly DateTimeOffset Minute = DateTimeOffset.Parse("2026-11-23T10:07:00Z");

    private static readonly PartialSnapshot Checkout = PartialSnapshot.Of(3, new PartialState(
        "checkout",
        Segment.FromAttributes(ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("device", "web"), KeyValuePair.Create("plan_tier", "pro"), KeyValuePair.Create("region", "eu-west")])),
        new TumblingWindow(Minute, TimeSpan.FromMinutes(1)),
        new KpiCounters(
            Attempts: 120, Successes: 97, Failures: 21, SessionsStarted: 118, SessionsConverted: 90,
            CurrencyAmounts.Of("EUR", 1_234_567).Add("USD", -500), LateRecords: 2, DuplicateRecords: 1, Requests: 300, RequestErrors: 4,
            LatencyHistogram.Of(TimeSpan.FromMilliseconds(12)).Record(TimeSpan.FromMilliseconds(250)).Record(TimeSpan.FromSeconds(2))),
        AppliedOffset: 1_048_576));

    [Fact]
    public void A_snapshot_reads_back_as_it_was_written()
    {
        var read = PartialSnapshotCodec.Decode(PartialSnapshotCodec.Encode(Checkout));

        // The JSON form compares every field, maps included, by value.
        Assert.NotNull(read);
        Assert.Equal(InternalJson.Serialize(Checkout), InternalJson.Serialize(read));
        Assert.Equal(Checkout.Counters, read.Counters);
        Assert.Equal(Checkout.Window, read.Window);
    }

    [Fact]
    public void Stage_two_rebuilds_the_segment_key_stage_one_built_when_names_sort_differently_by_culture()
    {
        var segment = Segment.FromAttributes(ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("device", "ios"), KeyValuePair.Create("Region", "eu-west")]));
        var snapshot = PartialSnapshot.Of(0, new PartialState("checkout", segment, new TumblingWindow(Minute, TimeSpan.FromMinutes(1)), KpiCounters.Zero with { Attempts = 1 }, AppliedOffset: 7));

        var fromBinary = PartialSnapshotCodec.Decode(PartialSnapshotCodec.Encode(snapshot))!;
        var fromJson = PartialSnapshotCodec.Decode(InternalJson.Serialize(snapshot))!;

        Assert.Equal("Region=eu-west,device=ios", Segment.FromAttributes(fromBinary.Segment).Key);
        Assert.Equal("Region=eu-west,device=ios", Segment.FromAttributes(fromJson.Segment).Key);
    }

    [Fact]
    public void A_snapshot_written_as_json_by_an_earlier_version_still_reads()
    {
        var read = PartialSnapshotCodec.Decode(InternalJson.Serialize(Checkout));

        Assert.NotNull(read);
        Assert.Equal(InternalJson.Serialize(Checkout), InternalJson.Serialize(read));
    }

    [Fact]
    public void The_binary_form_is_the_fields_in_order_and_under_a_fifth_of_the_json()
    {
        var encoded = PartialSnapshotCodec.Encode(Checkout);

        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            writer.Write((byte)1);
            writer.Write7BitEncodedInt(3);
            writer.Write("checkout");
            writer.Write7BitEncodedInt(3);
            foreach (var (name, value) in new[] { ("device", "web"), ("plan_tier", "pro"), ("region", "eu-west") })
            {
                writer.Write(name);
                writer.Write(value);
            }

            writer.Write(Minute.ToUnixTimeMilliseconds());
            foreach (var number in new long[] { 60_000, 1_048_576, 120, 97, 21, 118, 90, 2, 1, 300, 4 })
            {
                writer.Write7BitEncodedInt64(number);
            }

            writer.Write7BitEncodedInt(2);
            writer.Write("EUR");
            writer.Write(1_234_567L);
            writer.Write("USD");
            writer.Write(-500L);
            writer.Write7BitEncodedInt(3);
            foreach (var (bucket, count) in Checkout.LatencyBuckets)
            {
                writer.Write7BitEncodedInt64(bucket);
                writer.Write7BitEncodedInt64(count);
            }
        }

        Assert.Equal(buffer.ToArray(), encoded);
        Assert.True(encoded.Length * 5 < InternalJson.Serialize(Checkout).Length, $"{encoded.Length} bytes against {InternalJson.Serialize(Checkout).Length} as JSON");
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 2, 3 })]
    [InlineData(new byte[] { 1, 3, 8 })]
    [InlineData(new byte[] { (byte)'{', (byte)'x' })]
    public void Bytes_that_are_not_a_snapshot_read_as_nothing(byte[] bytes)
    {
        Assert.Null(PartialSnapshotCodec.Decode(bytes));
    }

    [Fact]
    public void A_snapshot_with_bytes_left_over_reads_as_nothing()
    {
        Assert.Null(PartialSnapshotCodec.Decode([.. PartialSnapshotCodec.Encode(Checkout), 0]));
    }
}
