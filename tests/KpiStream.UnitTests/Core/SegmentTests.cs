using System.Collections.Immutable;
using KpiStream.Core.Journeys;
using KpiStream.Core.Kpis;
using KpiStream.TestSupport;

namespace KpiStream.UnitTests.Core;

public class SegmentTests
{
    // Ordinal order puts upper case first; culture order does not.
    private static readonly KeyValuePair<string, string>[] Attributes =
        [KeyValuePair.Create("device", "ios"), KeyValuePair.Create("Region", "eu-west"), KeyValuePair.Create("plan_tier", "pro")];

    [Fact]
    public void A_key_lists_attributes_in_ordinal_order_whatever_order_their_map_keeps()
    {
        var byCulture = Segment.FromAttributes(ImmutableSortedDictionary.CreateRange(StringComparer.InvariantCulture, Attributes));
        var byOrdinal = Segment.FromAttributes(ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, Attributes));

        Assert.Equal("Region=eu-west,device=ios,plan_tier=pro", byCulture.Key);
        Assert.Equal(byOrdinal.Key, byCulture.Key);
        Assert.Equal(["Region", "device", "plan_tier"], byCulture.Attributes.Keys);
    }

    [Fact]
    public void A_segments_dimension_keys_are_its_known_values_each_alone()
    {
        var segment = Segment.FromAttributes(ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("device", Segment.Unattributed), KeyValuePair.Create("region", "eu-west"), KeyValuePair.Create("plan_tier", "pro")]));

        Assert.Equal(["plan_tier=pro", "region=eu-west"], segment.DimensionKeys());
    }

    [Theory]
    [InlineData(SegmentAlerting.Dimensions, "region=eu-west", true)]
    [InlineData(SegmentAlerting.Dimensions, "device=ios,region=eu-west", false)]
    [InlineData(SegmentAlerting.Combinations, "region=eu-west", true)]
    [InlineData(SegmentAlerting.Combinations, "device=ios,region=eu-west", true)]
    [InlineData(SegmentAlerting.Off, "region=eu-west", false)]
    public void A_journey_judges_the_segments_its_segment_alerting_names(SegmentAlerting mode, string segmentKey, bool judged)
    {
        var journey = SampleJourneys.Checkout with { SegmentAlerting = mode };

        Assert.Equal(judged, journey.JudgesSegment(segmentKey));
    }
}
