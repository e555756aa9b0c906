using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace KpiStream.Core.Privacy;

/// <summary>
/// Replaces user ids with a keyed hash (HMAC-SHA256, its first 128 bits), so the same user maps to the same token
/// without the token revealing the id to anyone who lacks the key. Safe to share between threads.
/// </summary>
public sealed class Pseudonymizer
{
    private const int MaxStackBytes = 256;

    // One keyed HMAC per thread, reset after each id: the one-shot API set up a new context every call.
    private readonly ThreadLocal<IncrementalHash> _hmac;

    public Pseudonymizer(byte[] key)
    {
        if (key.Length < 16)
        {
            throw new ArgumentException("A pseudonymization key needs at least 16 bytes.", nameof(key));
        }

        var ownKey = key.ToArray();
        _hmac = new ThreadLocal<IncrementalHash>(() => IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, ownKey));
    }

    public UserPseudonym Pseudonymize(string userId)
    {
        var length = Encoding.UTF8.GetByteCount(userId);
        Span<byte> utf8 = length <= MaxStackBytes ? stackalloc byte[length] : new byte[length];
        Encoding.UTF8.GetBytes(userId, utf8);
        var hmac = _hmac.Value!;
        hmac.AppendData(utf8);
        Span<byte> hash = stackalloc byte[HMACSHA256.HashSizeInBytes];
        hmac.GetHashAndReset(hash);
        return new UserPseudonym(BinaryPrimitives.ReadUInt128BigEndian(hash));
    }
}
