using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Text;
using KpiStream.Core.Kpis;
using KpiStream.Core.Privacy;
using KpiStream.Core.Windows;
using KpiStream.Processor.Kpis.State;
using KpiStream.Streaming.Stores;

namespace KpiStream.Processor.Kpis.Funnel;

/// <summary>
/// Compact binary for session entries, the one store written for (nearly) every input record:
/// JSON cost more to write than the rest of the record's processing. A leading format version
/// keeps a later layout from misreading this one. Version 1 held event ids as text, version 2 their
/// digests (<see cref="SeenEvent"/>) and the user pseudonym as text; version 3 holds the pseudonym's
/// 128 bits; version 4 adds the session's success times. Entries of every version restore; an entry
/// before version 4 knew its successes only as a conversion, restored as one success at its start.
/// </summary>
public sealed class SessionStateSerde : IStoreSerde<SessionState>
{
    public static readonly SessionStateSerde Instance = new();

    private const byte FormatVersion = 4;
    private const byte TextIdsVersion = 1;
    private const byte TextPseudonymVersion = 2;
    private const byte NoSuccessTimesVersion = 3;

    // A start's journey and segment are shared by many sessions: their encoded text, kept per instance, is copied, not re-encoded.
    private static readonly ConditionalWeakTable<string, byte[]> EncodedJourneys = [];
    private static readonly ConditionalWeakTable<Segment, byte[]> EncodedSegments = [];

    private const int FixedBytes = 1 + 8 + 8 + 1 + 16 + 1 + 8 + 8 + 8 + 1 + 5;
    private const int MaxBytesPerEvent = 16 + 10;
    private const int MaxStackBytes = 1024;

    public byte[] Serialize(SessionState value)
    {
        byte[] journey = [], segment = [];
        if (value.Start is { } begun)
        {
            journey = EncodedJourneys.GetValue(begun.Journey, static name => Encode(w => w.Write(name)));
            segment = EncodedSegments.GetValue(begun.Segment, static attributes => Encode(w => WriteAttributes(w, attributes)));
        }

        var capacity = FixedBytes + journey.Length + segment.Length + value.Events.Count * MaxBytesPerEvent + 5 + value.Successes.Count * 8;
        var writer = new SpanByteWriter(capacity <= MaxStackBytes ? stackalloc byte[capacity] : new byte[capacity]);
        writer.Write(FormatVersion);
        writer.Write(value.AppliedOffset);
        writer.Write(value.LastEventAt.ToUnixTimeMilliseconds());
        writer.Write(value.UserPseudonym is not null);
        if (value.UserPseudonym is { } pseudonym)
        {
            writer.Write(pseudonym.Value);
        }

        writer.Write(value.Start is not null);
        if (value.Start is { } start)
        {
            writer.Write(journey);
            writer.Write(start.StartedAt.ToUnixTimeMilliseconds());
            writer.Write(start.Window.Start.ToUnixTimeMilliseconds());
            writer.Write((long)start.Window.Size.TotalMilliseconds);
            writer.Write(start.Converted);
            writer.Write(segment);
        }

        writer.Write7BitEncoded(value.Events.Count);
        foreach (var seen in value.Events)
        {
            writer.Write(seen.IdDigest);
            writer.Write7BitEncoded(seen.FirstOffset);
        }

        writer.Write7BitEncoded(value.Successes.Count);
        for (var i = 0; i < value.Successes.Count; i++)
        {
            writer.Write(value.Successes[i].ToUnixTimeMilliseconds());
        }

        return writer.WrittenBytes.ToArray();
    }

    public SessionState Deserialize(byte[] bytes)
    {
        using var reader = new BinaryReader(new MemoryStream(bytes, writable: false));
        var version = reader.ReadByte();
        if (version is not (FormatVersion or TextIdsVersion or TextPseudonymVersion or NoSuccessTimesVersion))
        {
            throw new InvalidDataException($"Session entry has format version {version}; this version of KpiStream reads {TextIdsVersion} to {FormatVersion}.");
        }

        var appliedOffset = reader.ReadInt64();
        var lastEventAt = DateTimeOffset.FromUnixTimeMilliseconds(reader.ReadInt64());
        UserPseudonym? pseudonym = !reader.ReadBoolean() ? null
            : version >= NoSuccessTimesVersion ? new UserPseudonym(ReadUInt128(reader))
            : UserPseudonym.Parse(reader.ReadString());
        SessionStart? start = null;
        if (reader.ReadBoolean())
        {
            var journey = reader.ReadString();
            var startedAt = DateTimeOffset.FromUnixTimeMilliseconds(reader.ReadInt64());
            var window = new TumblingWindow(DateTimeOffset.FromUnixTimeMilliseconds(reader.ReadInt64()), TimeSpan.FromMilliseconds(reader.ReadInt64()));
            var converted = reader.ReadBoolean();
            var attributes = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
            for (var count = reader.Read7BitEncodedInt(); count > 0; count--)
            {
                attributes.Add(reader.ReadString(), reader.ReadString());
            }

            start = new SessionStart(journey, Segment.FromAttributes(attributes.ToImmutable()), startedAt, window, converted);
        }

        var events = new SeenEvent[reader.Read7BitEncodedInt()];
        for (var i = 0; i < events.Length; i++)
        {
            var idDigest = version == TextIdsVersion ? SeenEvent.DigestOf(reader.ReadString()) : ReadUInt128(reader);
            events[i] = new SeenEvent(idDigest, reader.Read7BitEncodedInt64());
        }

        var successes = SuccessTimes.None;
        if (version == FormatVersion)
        {
            for (var count = reader.Read7BitEncodedInt(); count > 0; count--)
            {
                successes = successes.Add(DateTimeOffset.FromUnixTimeMilliseconds(reader.ReadInt64()));
            }
        }
        else if (start is { Converted: true } converted)
        {
            successes = successes.Add(converted.StartedAt);
        }

        return new SessionState(start, pseudonym, appliedOffset, lastEventAt, SeenEvents.Create(events), successes);
    }

    private static void WriteAttributes(BinaryWriter writer, Segment segment)
    {
        writer.Write7BitEncodedInt(segment.Attributes.Count);
        foreach (var (name, attribute) in segment.Attributes)
        {
            writer.Write(name);
            writer.Write(attribute);
        }
    }

    private static byte[] Encode(Action<BinaryWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            write(writer);
        }

        return buffer.ToArray();
    }

    private static UInt128 ReadUInt128(BinaryReader reader) => new(reader.ReadUInt64(), reader.ReadUInt64());
}
