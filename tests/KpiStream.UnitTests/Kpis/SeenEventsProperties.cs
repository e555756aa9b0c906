using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using KpiStream.Processor.Kpis.Funnel;

namespace KpiStream.UnitTests.Kpis;

public sealed class SeenEventsProperties
{
    // Few distinct ids, so that lists repeat ids and lookups hit both the inline ones and the array.
    private static readonly Arbitrary<SeenEvent[]> Lists = Gen.ListOf(
            Gen.Zip(Gen.Choose(0, 5), Gen.Choose(0, 1_000)).Select(p => SeenEvent.Of($"id-{p.Item1}", p.Item2)))
        .Select(list => list.ToArray())
        .ToArbitrary();

    [Property]
    public Property Adding_ids_one_by_one_keeps_them_in_order_as_building_from_the_list_does() =>
        Prop.ForAll(Lists, list =>
        {
            var added = list.Aggregate(default(SeenEvents), (seen, one) => seen.Add(one));
            return added.ToArray().SequenceEqual(list)
                && SeenEvents.Create(list).ToArray().SequenceEqual(list)
                && added.Count == list.Length;
        });

    [Property]
    public Property The_first_offset_of_an_id_is_that_of_its_first_occurrence() =>
        Prop.ForAll(Lists, list =>
        {
            var seen = SeenEvents.Create(list);
            return Enumerable.Range(0, 7).Select(i => SeenEvent.DigestOf($"id-{i}")).All(digest =>
                seen.FirstOffsetOf(digest) == list.Where(e => e.IdDigest == digest).Select(e => (long?)e.FirstOffset).FirstOrDefault());
        });

    [Fact]
    public void Adding_to_a_session_leaves_the_earlier_value_as_it_was()
    {
        SeenEvents three = [SeenEvent.Of("a", 1), SeenEvent.Of("b", 2), SeenEvent.Of("c", 3)];

        var four = three.Add(SeenEvent.Of("d", 4));

        Assert.Equal([SeenEvent.Of("a", 1), SeenEvent.Of("b", 2), SeenEvent.Of("c", 3)], three.ToArray());
        Assert.Equal(4, four.FirstOffsetOf(SeenEvent.DigestOf("d")));
        Assert.Null(three.FirstOffsetOf(SeenEvent.DigestOf("d")));
        Assert.Throws<ArgumentOutOfRangeException>(() => three[3]);
    }
}
