using System.Collections.Concurrent;
using System.Collections.Immutable;

namespace KpiStream.Core.Kpis;

/// <summary>
/// One <see cref="Segment"/> instance per distinct list of attribute values, so that segmenting an
/// event costs a lookup instead of a sorted dictionary and a key string. Segments are few (regions
/// times tiers times devices); past <see cref="MaxSegments"/> distinct ones, new segments are built
/// and not kept, so unexpected cardinality costs speed, not memory.
/// </summary>
internal static class SegmentInterner
{
    private const int MaxSegments = 100_000;
    private static readonly ConcurrentDictionary<SegmentValues, Segment> Segments = new();

    [ThreadStatic]
    private static string[]? _scratch;

    /// <summary>A reusable buffer of <paramref name="length"/> values for <see cref="Intern"/>, so a lookup allocates nothing.</summary>
    public static string[] Scratch(int length)
    {
        if (_scratch is null || _scratch.Length != length)
        {
            _scratch = new string[length];
        }

        return _scratch;
    }

    /// <param name="values">Read, never kept: a segment that is kept gets its own copy.</param>
    public static Segment Intern(ImmutableArray<string> names, string[] values)
    {
        if (Segments.TryGetValue(new SegmentValues(names, values), out var segment))
        {
            return segment;
        }

        var owned = values.ToArray();
        var attributes = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, names.Select((name, i) => KeyValuePair.Create(name, owned[i])));
        segment = Segment.FromAttributes(attributes);
        return Segments.Count < MaxSegments ? Segments.GetOrAdd(new SegmentValues(names, owned), segment) : segment;
    }

    /// <summary>Attribute names (the journey's, compared by instance) and their values in the same order.</summary>
    private readonly struct SegmentValues(ImmutableArray<string> names, string[] values) : IEquatable<SegmentValues>
    {
        public bool Equals(SegmentValues other) =>
            names == other.Names && values.AsSpan().SequenceEqual(other.Values);

        public override bool Equals(object? obj) => obj is SegmentValues other && Equals(other);

        public override int GetHashCode()
        {
            var hash = new HashCode();
            foreach (var value in values)
            {
                hash.Add(value, StringComparer.Ordinal);
            }

            return hash.ToHashCode();
        }

        private ImmutableArray<string> Names => names;

        private string[] Values => values;
    }
}
