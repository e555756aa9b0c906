using System.Buffers.Binary;

namespace KpiStream.Processor.Kpis.State;

/// <summary>
/// Writes <see cref="BinaryWriter"/>'s layout (little-endian integers, one-byte booleans, 7-bit
/// encoded lengths) into a caller's buffer, without a stream: for entries written by the ten
/// thousand at every commit. The caller sizes the buffer for the largest entry it writes.
/// </summary>
internal ref struct SpanByteWriter(Span<byte> buffer)
{
    private readonly Span<byte> _buffer = buffer;

    public int Written { get; private set; }

    public readonly ReadOnlySpan<byte> WrittenBytes => _buffer[..Written];

    public void Write(byte value) => _buffer[Written++] = value;

    public void Write(bool value) => Write(value ? (byte)1 : (byte)0);

    public void Write(long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(_buffer[Written..], value);
        Written += sizeof(long);
    }

    /// <summary>The high 64 bits, then the low, as two little-endian words.</summary>
    public void Write(UInt128 value)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(_buffer[Written..], (ulong)(value >> 64));
        BinaryPrimitives.WriteUInt64LittleEndian(_buffer[(Written + sizeof(ulong))..], (ulong)value);
        Written += 2 * sizeof(ulong);
    }

    public void Write(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(_buffer[Written..]);
        Written += bytes.Length;
    }

    public void Write7BitEncoded(long value)
    {
        var remaining = (ulong)value;
        while (remaining >= 0x80)
        {
            Write((byte)(remaining | 0x80));
            remaining >>= 7;
        }

        Write((byte)remaining);
    }
}
