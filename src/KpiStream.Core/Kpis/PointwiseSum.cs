using System.Collections.Immutable;

namespace KpiStream.Core.Kpis;

/// <summary>The sum of two sorted maps of counts, key by key: how revenue per currency and latency histograms merge.</summary>
internal static class PointwiseSum
{
    /// <summary>Always builds a new map; callers return the other side when one is empty, without copying.</summary>
    public static ImmutableSortedDictionary<TKey, long> Of<TKey>(ImmutableSortedDictionary<TKey, long> left, ImmutableSortedDictionary<TKey, long> right)
        where TKey : notnull
    {
        // One builder, not a new map per key added: these merges run for every counted record.
        var sum = left.ToBuilder();
        foreach (var (key, value) in right)
        {
            sum[key] = checked(sum.GetValueOrDefault(key) + value);
        }

        return sum.ToImmutable();
    }
}
