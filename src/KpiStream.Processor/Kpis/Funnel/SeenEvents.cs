using System.Runtime.CompilerServices;

namespace KpiStream.Processor.Kpis.Funnel;

/// <summary>
/// The event ids a session has counted, in the order counted: an immutable value whose first two
/// ids are held inline, and only a session of more ids has an array.
/// </summary>
/// <remarks>
/// Most sessions are a start and an outcome. As an array per session, rebuilt on every event, the
/// ids were the one object each update of a session made, and what the GC promoted and copied
/// through its generations while sessions stayed open.
/// </remarks>
[CollectionBuilder(typeof(SeenEvents), nameof(Create))]
public readonly struct SeenEvents
{
    private const int InlineCount = 2;

    private readonly SeenEvent _first;
    private readonly SeenEvent _second;

    // Every id past the inline ones, in order; null while there are none.
    private readonly SeenEvent[]? _more;

    private SeenEvents(int count, SeenEvent first, SeenEvent second, SeenEvent[]? more)
    {
        Count = count;
        _first = first;
        _second = second;
        _more = more;
    }

    public int Count { get; }

    public SeenEvent this[int index] => (uint)index >= (uint)Count
        ? throw new ArgumentOutOfRangeException(nameof(index), index, $"The session holds {Count} ids.")
        : index switch { 0 => _first, 1 => _second, _ => _more![index - InlineCount] };

    public static SeenEvents Create(ReadOnlySpan<SeenEvent> events) => events.Length switch
    {
        0 => default,
        1 => new SeenEvents(1, events[0], default, null),
        2 => new SeenEvents(2, events[0], events[1], null),
        _ => new SeenEvents(events.Length, events[0], events[1], events[InlineCount..].ToArray()),
    };

    /// <summary>These ids and then <paramref name="seen"/>.</summary>
    public SeenEvents Add(SeenEvent seen) => Count switch
    {
        0 => new SeenEvents(1, seen, default, null),
        1 => new SeenEvents(2, _first, seen, null),
        _ => new SeenEvents(Count + 1, _first, _second, [.. _more ?? [], seen]),
    };

    /// <summary>Input offset of the first occurrence of the id with digest <paramref name="idDigest"/>, or null when it is not here.</summary>
    public long? FirstOffsetOf(UInt128 idDigest)
    {
        foreach (var seen in this)
        {
            if (seen.IdDigest == idDigest)
            {
                return seen.FirstOffset;
            }
        }

        return null;
    }

    public SeenEvent[] ToArray()
    {
        var all = new SeenEvent[Count];
        for (var i = 0; i < Count; i++)
        {
            all[i] = this[i];
        }

        return all;
    }

    public Enumerator GetEnumerator() => new(this);

    public struct Enumerator(SeenEvents events)
    {
        private int _index = -1;

        public readonly SeenEvent Current => events[_index];

        public bool MoveNext() => ++_index < events.Count;
    }
}
