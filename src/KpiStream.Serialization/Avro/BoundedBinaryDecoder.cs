using System.Buffers.Binary;
using System.Text;

namespace KpiStream.Serialization.Avro;

/// <summary>
/// Avro's binary decoding of one record held in memory, for Apache.Avro's generic reader, which
/// otherwise trusts every length and count it reads: a 62-byte record claiming a 1 GB string made
/// it allocate 1 GB. Here each length and block count is checked against the bytes left before
/// anything is allocated, so decoding a record costs in proportion to its own size.
/// </summary>
internal sealed class BoundedBinaryDecoder(byte[] buffer, int offset, int count) : global::Avro.IO.Decoder
{
    private readonly int _end = offset + count;
    private int _position = offset;

    public bool AtEnd => _position == _end;

    public int Remaining => _end - _position;

    public void ReadNull()
    {
    }

    public bool ReadBoolean() => Take(1)[0] switch
    {
        0 => false,
        1 => true,
        var b => throw new InvalidDataException($"A boolean of byte {b}."),
    };

    public int ReadInt()
    {
        var value = ReadLong();
        return value is >= int.MinValue and <= int.MaxValue ? (int)value : throw new InvalidDataException($"An int of {value}.");
    }

    public long ReadLong()
    {
        ulong raw = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            var b = Take(1)[0];
            raw |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return (long)(raw >> 1) ^ -(long)(raw & 1);
            }
        }

        throw new InvalidDataException("A varint longer than 10 bytes.");
    }

    public float ReadFloat() => BinaryPrimitives.ReadSingleLittleEndian(Take(4));

    public double ReadDouble() => BinaryPrimitives.ReadDoubleLittleEndian(Take(8));

    public byte[] ReadBytes() => Take(Length()).ToArray();

    public string ReadString() => Encoding.UTF8.GetString(Take(Length()));

    public int ReadEnum() => ReadInt();

    public long ReadArrayStart() => BlockCount();

    public long ReadArrayNext() => BlockCount();

    public long ReadMapStart() => BlockCount();

    public long ReadMapNext() => BlockCount();

    public int ReadUnionIndex() => ReadInt();

    public void ReadFixed(byte[] buffer) => ReadFixed(buffer, 0, buffer.Length);

    public void ReadFixed(byte[] buffer, int start, int length) => Take(length).CopyTo(buffer.AsSpan(start, length));

    public void SkipNull()
    {
    }

    public void SkipBoolean() => ReadBoolean();

    public void SkipInt() => ReadLong();

    public void SkipLong() => ReadLong();

    public void SkipFloat() => Take(4);

    public void SkipDouble() => Take(8);

    public void SkipBytes() => Take(Length());

    public void SkipString() => Take(Length());

    public void SkipEnum() => ReadLong();

    public void SkipUnionIndex() => ReadLong();

    public void SkipFixed(int length) => Take(length);

    private ReadOnlySpan<byte> Take(int length)
    {
        if (length < 0 || length > Remaining)
        {
            throw new InvalidDataException($"{length} bytes wanted with {Remaining} left.");
        }

        var taken = buffer.AsSpan(_position, length);
        _position += length;
        return taken;
    }

    private int Length()
    {
        var length = ReadLong();
        return length >= 0 && length <= Remaining ? (int)length : throw new InvalidDataException($"A length of {length} with {Remaining} bytes left.");
    }

    /// <summary>A block's item count, each item at least a byte: a count the rest cannot hold is refused before a reader sizes anything by it.</summary>
    private long BlockCount()
    {
        var items = ReadLong();
        if (items < 0)
        {
            // A negative count is followed by the block's size in bytes.
            items = -items;
            ReadLong();
        }

        return items >= 0 && items <= Remaining ? items : throw new InvalidDataException($"A block of {items} items with {Remaining} bytes left.");
    }
}
