using System.Collections.Immutable;
using System.Text;

namespace KpiStream.Serialization.Avro;

/// <summary>The Avro binary encoding's primitives, read from a span (zig-zag varints, length-prefixed strings, blocked maps).</summary>
public ref struct AvroBinaryReader(ReadOnlySpan<byte> body)
{
    private readonly ReadOnlySpan<byte> _body = body;

    public int Position { get; private set; }

    public long ReadLong()
    {
        ulong raw = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (Position >= _body.Length)
            {
                throw new InvalidDataException("End of data inside a varint.");
            }

            var b = _body[Position++];
            raw |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return (long)(raw >> 1) ^ -(long)(raw & 1);
            }
        }

        throw new InvalidDataException("A varint longer than 10 bytes.");
    }

    public string ReadString() => ReadString(pool: null);

    /// <param name="pool">Where a value of a low-cardinality field is looked up instead of allocated; null decodes a new string.</param>
    public string ReadString(Utf8StringPool? pool)
    {
        var length = ReadLong();
        if (length < 0 || length > _body.Length - Position)
        {
            throw new InvalidDataException($"A string of {length} bytes with {_body.Length - Position} left.");
        }

        var bytes = _body.Slice(Position, (int)length);
        var text = pool is null ? Encoding.UTF8.GetString(bytes) : pool.Get(bytes);
        Position += (int)length;
        return text;
    }

    /// <summary>A ["null", T] union: true when the value is present.</summary>
    public bool ReadPresent()
    {
        var branch = ReadLong();
        return branch switch
        {
            0 => false,
            1 => true,
            _ => throw new InvalidDataException($"Union branch {branch} of a two-branch union."),
        };
    }

    public string? ReadOptionalString(Utf8StringPool? pool = null) => ReadPresent() ? ReadString(pool) : null;

    public long? ReadOptionalLong() => ReadPresent() ? ReadLong() : null;

    private static readonly ImmutableSortedDictionary<string, string> EmptyMap = ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal);

    public ImmutableSortedDictionary<string, string> ReadStringMap()
    {
        var map = EmptyMap;
        for (var count = ReadLong(); count != 0; count = ReadLong())
        {
            if (count < 0)
            {
                // A negative count is followed by the block's size in bytes, which a sequential reader does not need.
                count = -count;
                ReadLong();
            }

            for (var i = 0; i < count; i++)
            {
                var key = ReadString();
                map = map.SetItem(key, ReadString());
            }
        }

        return map;
    }
}
