using System.IO.Hashing;
using System.Text;

namespace KpiStream.Processor.Kpis.State;

/// <summary>128-bit digests (XxHash128 of the UTF-8 bytes) standing in for text that state would otherwise keep as strings.</summary>
public static class TextDigest
{
    private const int MaxStackBytes = 512;

    public static UInt128 Of(ReadOnlySpan<char> text)
    {
        var length = Encoding.UTF8.GetByteCount(text);
        Span<byte> utf8 = length <= MaxStackBytes ? stackalloc byte[length] : new byte[length];
        Encoding.UTF8.GetBytes(text, utf8);
        return XxHash128.HashToUInt128(utf8);
    }

    /// <summary>The digest of <paramref name="first"/>, <paramref name="separator"/> and <paramref name="second"/> joined, without building the joined string.</summary>
    public static UInt128 Of(string first, char separator, string second)
    {
        var length = first.Length + 1 + second.Length;
        Span<char> joined = length <= MaxStackBytes / 2 ? stackalloc char[length] : new char[length];
        first.CopyTo(joined);
        joined[first.Length] = separator;
        second.CopyTo(joined[(first.Length + 1)..]);
        return Of(joined);
    }
}
