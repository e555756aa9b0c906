using KpiStream.Processor.Kpis.State;

namespace KpiStream.Processor.Kpis.Funnel;

/// <summary>
/// The session store's key: the digest of "journey|session id" (<see cref="TextDigest"/>). A value,
/// held inline in the store's cache, where the text was one more object per open session. Two
/// sessions sharing a 128-bit digest is not a practical concern.
/// </summary>
public static class SessionKey
{
    public const char Separator = '|';

    public static UInt128 Of(string journey, string sessionId) => TextDigest.Of(journey, Separator, sessionId);
}
