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

    public string ReadString()
    {
        var length = ReadLong();
        if (length < 0 || length > _body.Length - Position)
        {
            throw new InvalidDataException($"A string of {length} bytes with {_body.Length - Position} left.");
        }

        var text = Encoding.UTF8.GetString(_body.Slice(Position, (int)length));
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

    public string? ReadOptionalString() => ReadPresent() ? ReadString() : null;

    public long? ReadOptionalLong() => ReadPresent() ? ReadLong() : null;

    public ImmutableSortedDictionary<string, string> ReadStringMap()
    {
        var map = ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal);
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
