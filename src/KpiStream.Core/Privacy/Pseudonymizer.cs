using System.Security.Cryptography;
using System.Text;

namespace KpiStream.Core.Privacy;

/// <summary>
/// Replaces user ids with a keyed hash (HMAC-SHA256), so the same user maps to the same token
/// without the token revealing the id to anyone who lacks the key.
/// </summary>
public sealed class Pseudonymizer
{
    private readonly byte[] _key;

    public Pseudonymizer(byte[] key)
    {
        if (key.Length < 16)
        {
            throw new ArgumentException("A pseudonymization key needs at least 16 bytes.", nameof(key));
        }

        _key = key.ToArray();
    }

    public string Pseudonymize(string userId)
    {
        Span<byte> hash = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(userId), hash);
        return "u_" + Convert.ToHexStringLower(hash[..16]);
    }
}
