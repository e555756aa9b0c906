using System.Collections.Immutable;
using System.Text;
using KpiStream.Processor.Kpis.State;

namespace KpiStream.Processor.Kpis.Partials;

/// <summary>
/// The bytes of a <see cref="PartialSnapshot"/> on the repartition topic: a format version, then
/// the fields in declaration order except that revenue comes after the other counts, just before the
/// latency buckets; integers 7-bit encoded (<see cref="BinaryWriter"/>'s layout).
/// Snapshots written as JSON by earlier versions still read.
/// </summary>
/// <remarks>
/// Binary because the repartition topic is keyed by journey: all of a journey's snapshots land on
/// one partition, and as JSON (mostly field names) they outgrew what the development broker keeps per partition.
/// </remarks>
public static class PartialSnapshotCodec
{
    private const byte FormatVersion = 1;

    // JSON text starts with '{', which no binary version uses.
    private const byte JsonStart = (byte)'{';

    public static byte[] Encode(PartialSnapshot snapshot)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(FormatVersion);
            writer.Write7BitEncodedInt(snapshot.SourcePartition);
            writer.Write(snapshot.Journey);
            WriteMap(writer, snapshot.Segment, writer.Write, writer.Write);
            writer.Write(snapshot.WindowStartMs);
            writer.Write7BitEncodedInt64(snapshot.WindowSizeMs);
            writer.Write7BitEncodedInt64(snapshot.AsOfOffset);
            foreach (var count in (ReadOnlySpan<long>)[
                snapshot.Attempts, snapshot.Successes, snapshot.Failures, snapshot.SessionsStarted, snapshot.SessionsConverted,
                snapshot.LateRecords, snapshot.DuplicateRecords, snapshot.Requests, snapshot.RequestErrors])
            {
                writer.Write7BitEncodedInt64(count);
            }

            WriteMap(writer, snapshot.RevenueMinor, writer.Write, writer.Write);
            WriteMap(writer, snapshot.LatencyBuckets, writer.Write7BitEncodedInt64, writer.Write7BitEncodedInt64);
        }

        return buffer.ToArray();
    }

    /// <returns>Null when the bytes are not a snapshot in a format this version reads.</returns>
    public static PartialSnapshot? Decode(byte[]? bytes)
    {
        if (bytes is not [var first, ..])
        {
            return null;
        }

        if (first == JsonStart)
        {
            return InternalJson.Deserialize<PartialSnapshot>(bytes);
        }

        if (first != FormatVersion)
        {
            return null;
        }

        try
        {
            using var reader = new BinaryReader(new MemoryStream(bytes, 1, bytes.Length - 1, writable: false), Encoding.UTF8);
            var sourcePartition = reader.Read7BitEncodedInt();
            var journey = reader.ReadString();
            var segment = ReadMap(reader, reader.ReadString, reader.ReadString);
            var windowStartMs = reader.ReadInt64();
            var windowSizeMs = reader.Read7BitEncodedInt64();
            var asOfOffset = reader.Read7BitEncodedInt64();
            var counts = new long[9];
            for (var i = 0; i < counts.Length; i++)
            {
                counts[i] = reader.Read7BitEncodedInt64();
            }

            var revenue = ReadMap(reader, reader.ReadString, reader.ReadInt64);
            var latency = ReadMap(reader, reader.Read7BitEncodedInt64, reader.Read7BitEncodedInt64);
            return reader.BaseStream.Position == reader.BaseStream.Length
                ? new PartialSnapshot(sourcePartition, journey, segment, windowStartMs, windowSizeMs, asOfOffset,
                    counts[0], counts[1], counts[2], counts[3], counts[4], revenue, counts[5], counts[6], counts[7], counts[8], latency)
                : null;
        }
        catch (Exception e) when (e is EndOfStreamException or FormatException or IOException or ArgumentException)
        {
            return null;
        }
    }

    private static void WriteMap<TKey, TValue>(BinaryWriter writer, ImmutableSortedDictionary<TKey, TValue> map, Action<TKey> writeKey, Action<TValue> writeValue)
        where TKey : notnull
    {
        writer.Write7BitEncodedInt(map.Count);
        foreach (var (key, value) in map)
        {
            writeKey(key);
            writeValue(value);
        }
    }

    // Built with the default comparer of the key type, as JSON deserialization builds them, so both forms read back alike.
    private static ImmutableSortedDictionary<TKey, TValue> ReadMap<TKey, TValue>(BinaryReader reader, Func<TKey> readKey, Func<TValue> readValue)
        where TKey : notnull
    {
        var count = reader.Read7BitEncodedInt();
        var entries = new List<KeyValuePair<TKey, TValue>>(Math.Min(count, 1024));
        for (var i = 0; i < count; i++)
        {
            entries.Add(KeyValuePair.Create(readKey(), readValue()));
        }

        return ImmutableSortedDictionary.CreateRange(entries);
    }
}
