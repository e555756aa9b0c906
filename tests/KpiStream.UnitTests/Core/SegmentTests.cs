using System.Collections.Immutable;
using KpiStream.Core.Kpis;

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
}
