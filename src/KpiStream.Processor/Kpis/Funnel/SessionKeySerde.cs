using System.Buffers.Binary;
using System.Text;
using KpiStream.Processor.Kpis.State;
using KpiStream.Streaming.Stores;

namespace KpiStream.Processor.Kpis.Funnel;

/// <summary>
/// Session keys (<see cref="SessionKey"/>) on the changelog: a marker byte (0, which no text key
/// starts with) and the digest's 16 bytes, big-endian. Keys that earlier versions wrote as text
/// ("journey|session id") restore to the digest of that text, so their entries are found again.
/// </summary>
public sealed class SessionKeySerde : IStoreSerde<UInt128>
{
    public static readonly SessionKeySerde Instance = new();

    private const byte DigestMarker = 0;
    private const int Length = 1 + 16;

    public byte[] Serialize(UInt128 value)
    {
        var bytes = new byte[Length];
        bytes[0] = DigestMarker;
        BinaryPrimitives.WriteUInt128BigEndian(bytes.AsSpan(1), value);
        return bytes;
    }

    public UInt128 Deserialize(byte[] bytes) =>
        bytes is [DigestMarker, ..] && bytes.Length == Length
            ? BinaryPrimitives.ReadUInt128BigEndian(bytes.AsSpan(1))
            : TextDigest.Of(Encoding.UTF8.GetString(bytes));
}
