using System.IO.Hashing;
using System.Text;

namespace KpiStream.Processor.Kpis;

/// <summary>
/// An event id already counted, as a 128-bit digest, with the input offset of its first occurrence
/// (a replay of that offset is not a duplicate).
/// </summary>
/// <remarks>
/// Ids are compared by digest: every open session holds its ids in memory until the deduplication
/// horizon, and as strings they were about a third of the state the GC kept copying. Two ids of
/// one session sharing a 128-bit digest is not a practical concern.
/// </remarks>
public readonly record struct SeenEvent(UInt128 IdDigest, long FirstOffset)
{
    private const int MaxStackBytes = 256;

    public static SeenEvent Of(string eventId, long firstOffset) => new(DigestOf(eventId), firstOffset);

    public static UInt128 DigestOf(string eventId)
    {
        var length = Encoding.UTF8.GetByteCount(eventId);
        Span<byte> utf8 = length <= MaxStackBytes ? stackalloc byte[length] : new byte[length];
        Encoding.UTF8.GetBytes(eventId, utf8);
        return XxHash128.HashToUInt128(utf8);
    }
}
