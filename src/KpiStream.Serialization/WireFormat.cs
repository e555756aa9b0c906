using System.Buffers.Binary;

namespace KpiStream.Serialization;

/// <summary>
/// The Confluent wire format: magic byte 0, the writer schema id as a 4-byte big-endian integer,
/// then the Avro binary encoding of the value.
/// </summary>
public static class WireFormat
{
    public const byte MagicByte = 0;
    public const int HeaderLength = 5;

    public static byte[] Frame(int schemaId, ReadOnlySpan<byte> avroPayload)
    {
        var framed = new byte[HeaderLength + avroPayload.Length];
        framed[0] = MagicByte;
        BinaryPrimitives.WriteInt32BigEndian(framed.AsSpan(1, 4), schemaId);
        avroPayload.CopyTo(framed.AsSpan(HeaderLength));
        return framed;
    }

    /// <returns>False when <paramref name="framed"/> is too short or lacks the magic byte.</returns>
    public static bool TryReadHeader(ReadOnlySpan<byte> framed, out int schemaId)
    {
        schemaId = 0;
        if (framed.Length < HeaderLength || framed[0] != MagicByte)
        {
            return false;
        }

        schemaId = BinaryPrimitives.ReadInt32BigEndian(framed.Slice(1, 4));
        return true;
    }
}
