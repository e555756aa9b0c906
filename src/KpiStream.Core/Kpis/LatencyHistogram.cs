using System.Collections.Immutable;
using HdrHistogram;

namespace KpiStream.Core.Kpis;

/// <summary>
/// A mergeable latency distribution: request counts per HdrHistogram bucket (two significant
/// digits, 1 µs to 1 h, so any reported value is within 1% of the true one), kept sparse so a
/// minute of one segment costs a few dozen entries in state and on the wire. Percentiles are read
/// through HdrHistogram itself.
/// </summary>
/// <param name="Buckets">Lowest value of each non-empty bucket, in microseconds, to its count.</param>
public sealed record LatencyHistogram(ImmutableSortedDictionary<long, long> Buckets)
{
    private const long HighestMicros = 3_600_000_000;
    private const int SignificantDigits = 2;

    public static readonly LatencyHistogram Empty = new(ImmutableSortedDictionary<long, long>.Empty);

    // Used only for bucket arithmetic, which reads its configuration and nothing else.
    private static readonly LongHistogram Layout = new(1, HighestMicros, SignificantDigits);

    public long Count => Buckets.Values.Sum();

    public static LatencyHistogram Of(TimeSpan latency) => Empty.Record(latency);

    public LatencyHistogram Record(TimeSpan latency)
    {
        var bucket = Layout.LowestEquivalentValue(Math.Clamp((long)Math.Round(latency.TotalMicroseconds), 1, HighestMicros));
        return new(Buckets.SetItem(bucket, Buckets.GetValueOrDefault(bucket) + 1));
    }

    public LatencyHistogram Merge(LatencyHistogram other) =>
        other.Buckets.IsEmpty ? this
        : Buckets.IsEmpty ? other
        : new(PointwiseSum.Of(Buckets, other.Buckets));

    /// <summary>The latency at or below which <paramref name="percentile"/>% of requests fell (HdrHistogram's reading: the bucket's highest value); null when empty.</summary>
    public TimeSpan? Percentile(double percentile)
    {
        if (Buckets.IsEmpty)
        {
            return null;
        }

        var histogram = new LongHistogram(1, HighestMicros, SignificantDigits);
        foreach (var (bucket, count) in Buckets)
        {
            histogram.RecordValueWithCount(bucket, count);
        }

        return TimeSpan.FromMicroseconds(histogram.GetValueAtPercentile(percentile));
    }

    /// <summary>Requests whose whole bucket lies at or under <paramref name="threshold"/>: a latency SLI's good events, never overstated.</summary>
    public long CountAtOrBelow(TimeSpan threshold)
    {
        var limit = (long)Math.Floor(threshold.TotalMicroseconds);
        return Buckets.Where(b => Layout.HighestEquivalentValue(b.Key) <= limit).Sum(b => b.Value);
    }

    public bool Equals(LatencyHistogram? other) => other is not null && Buckets.SequenceEqual(other.Buckets);

    public override int GetHashCode() => Buckets.Count;
}
