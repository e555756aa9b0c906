using System.Collections.Concurrent;
using System.Text;

namespace KpiStream.Serialization.Avro;

/// <summary>
/// Decoded strings of fields with few distinct values (event types, regions, devices): each is
/// decoded once and then found by its text instead of allocated again for every record. Past
/// <c>capacity</c> distinct values (unexpected cardinality) strings are decoded and not kept.
/// </summary>
public sealed class Utf8StringPool
{
    private const int MaxPooledBytes = 64;
    private readonly ConcurrentDictionary<string, string> _strings;
    private readonly ConcurrentDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _byText;

    private readonly int _capacity;

    public Utf8StringPool(int capacity = 4096)
    {
        _capacity = capacity;
        _strings = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        _byText = _strings.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public string Get(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > MaxPooledBytes)
        {
            return Encoding.UTF8.GetString(utf8);
        }

        Span<char> chars = stackalloc char[MaxPooledBytes];
        var text = chars[..Encoding.UTF8.GetChars(utf8, chars)];
        if (_byText.TryGetValue(text, out var pooled))
        {
            return pooled;
        }

        var created = new string(text);
        return _strings.Count < _capacity ? _strings.GetOrAdd(created, created) : created;
    }
}
