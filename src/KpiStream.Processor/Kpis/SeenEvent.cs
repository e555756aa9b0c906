using System.Buffers;
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
    private const int StackLimit = 512;

    public static SeenEvent Of(string eventId, long firstOffset) => new(DigestOf(eventId), firstOffset);

    public static UInt128 DigestOf(string eventId)
    {
        var length = Encoding.UTF8.GetMaxByteCount(eventId.Length);
        byte[]? rented = null;
        var buffer = length <= StackLimit ? stackalloc byte[StackLimit] : (rented = ArrayPool<byte>.Shared.Rent(length));
        try
        {
            return XxHash128.HashToUInt128(buffer[..Encoding.UTF8.GetBytes(eventId, buffer)]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }
}
