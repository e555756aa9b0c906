namespace KpiStream.TestSupport;

/// <summary>
/// Records built from valid ones to hurt a decoder: bit flips, truncation, extension, random
/// bytes, varints claiming huge or negative lengths, counts and union branches, and long runs of
/// block headers.
/// </summary>
public static class HostileRecords
{
    // Lengths, counts and branches the rest of a record cannot hold: huge, negative or out of range.
    private static readonly long[] Claims = [int.MaxValue, (long)int.MaxValue * 4, long.MaxValue / 2, -1, -2, int.MinValue, 2, 3, 1_000_000_000];

    public static byte[] Mutate(byte[] valid, Random random)
    {
        var bytes = valid.ToArray();
        switch (random.Next(7))
        {
            case 0:
                for (var flips = random.Next(1, 9); flips > 0; flips--)
                {
                    bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                }

                return bytes;
            case 1:
                return bytes[..random.Next(bytes.Length)];
            case 2:
                return [.. bytes, .. RandomBytes(random, random.Next(1, 65))];
            case 3:
                return random.Next(2) == 0 ? RandomBytes(random, random.Next(0, 257)) : [.. bytes[..5], .. RandomBytes(random, random.Next(0, 257))];
            case 4:
                var position = random.Next(5, bytes.Length + 1);
                return [.. bytes[..position], .. ZigZag(Claims[random.Next(Claims.Length)]), .. bytes[position..]];
            case 5:
                bytes[random.Next(5, bytes.Length)] = (byte)random.Next(256);
                return bytes;
            default:
                return [.. bytes[..random.Next(5, bytes.Length + 1)], .. Enumerable.Repeat<byte>(0x7e, random.Next(1, 4096))];
        }
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private static byte[] ZigZag(long value)
    {
        var encoded = (ulong)((value << 1) ^ (value >> 63));
        var bytes = new List<byte>();
        do
        {
            var b = (byte)(encoded & 0x7f);
            encoded >>= 7;
            bytes.Add(encoded == 0 ? b : (byte)(b | 0x80));
        }
        while (encoded != 0);
        return [.. bytes];
    }
}
