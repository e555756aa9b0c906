using KpiStream.Processor.Kpis.State;

namespace KpiStream.Processor.Kpis.Funnel;

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
    public static SeenEvent Of(string eventId, long firstOffset) => new(DigestOf(eventId), firstOffset);

    public static UInt128 DigestOf(string eventId) => TextDigest.Of(eventId);
}
