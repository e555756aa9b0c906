using System.Collections.Immutable;
using KpiStream.Core.Kpis;
using KpiStream.Core.Privacy;
using KpiStream.Core.Windows;
using KpiStream.Processor.Kpis.Funnel;
using KpiStream.Processor.Kpis.State;

namespace KpiStream.UnitTests.Kpis;

public sealed class SessionStateSerdeTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.Parse("2026-11-23T10:00:00Z");

    private static readonly UserPseudonym User = UserPseudonym.Parse("u_aab5e9a7881f410ca847edf5d012a1d5");

    private static readonly Segment EuWeb = Segment.FromAttributes(
        ImmutableSortedDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal).Add("region", "eu-west").Add("device", "web"));

    [Fact]
    public void A_started_session_with_its_event_ids_reads_back_equal()
    {
        var state = new SessionState(
            new SessionStart("checkout", EuWeb, T0.AddSeconds(5), new TumblingWindow(T0, TimeSpan.FromMinutes(1)), Converted: true),
            User,
            AppliedOffset: 41,
            LastEventAt: T0.AddSeconds(95),
            [SeenEvent.Of("e1", 7), SeenEvent.Of("é-2 ✓", 41)],
            SuccessTimes.Of([T0.AddSeconds(95), T0.AddSeconds(-3)]));

        var read = SessionStateSerde.Instance.Deserialize(SessionStateSerde.Instance.Serialize(state));

        Assert.Equal(state.Start, read.Start);
        Assert.Equal("device=web,region=eu-west", read.Start!.Value.Segment.Key);
        Assert.Equal(state.Start!.Value.Segment.Attributes, read.Start.Value.Segment.Attributes);
        Assert.Equal((User, 41L, T0.AddSeconds(95)), (read.UserPseudonym, read.AppliedOffset, read.LastEventAt));
        Assert.Equal(state.Events.ToArray(), read.Events.ToArray());
        Assert.Equal([T0.AddSeconds(95), T0.AddSeconds(-3)], Enumerable.Range(0, read.Successes.Count).Select(i => read.Successes[i]));
        Assert.Equal(41, read.FirstOffsetOf(SeenEvent.DigestOf("é-2 ✓")));
        Assert.Null(read.FirstOffsetOf(SeenEvent.DigestOf("e3")));
    }

    [Fact]
    public void A_session_of_outcomes_only_reads_back_without_start_or_user()
    {
        var state = new SessionState(null, null, 3, T0, [SeenEvent.Of("e9", 3)], SuccessTimes.None);

        var read = SessionStateSerde.Instance.Deserialize(SessionStateSerde.Instance.Serialize(state));

        Assert.Null(read.Start);
        Assert.Null(read.UserPseudonym);
        Assert.Equal(state.Events.ToArray(), read.Events.ToArray());
    }

    [Fact]
    public void An_entry_written_with_text_ids_by_format_version_1_restores_with_their_digests()
    {
        // Version 1's layout, written out by hand: version, applied offset, last event time (ms),
        // no pseudonym, no start, two ids as text with their first offsets.
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            writer.Write((byte)1);
            writer.Write(41L);
            writer.Write(T0.ToUnixTimeMilliseconds());
            writer.Write(false);
            writer.Write(false);
            writer.Write7BitEncodedInt(2);
            writer.Write("e1");
            writer.Write7BitEncodedInt64(7);
            writer.Write("é-2 ✓");
            writer.Write7BitEncodedInt64(41);
        }

        var read = SessionStateSerde.Instance.Deserialize(buffer.ToArray());

        Assert.Equal((41L, T0), (read.AppliedOffset, read.LastEventAt));
        Assert.Equal([SeenEvent.Of("e1", 7), SeenEvent.Of("é-2 ✓", 41)], read.Events.ToArray());
        Assert.Equal(7, read.FirstOffsetOf(SeenEvent.DigestOf("e1")));
    }

    [Fact]
    public void An_entry_written_with_a_text_pseudonym_by_format_version_2_restores_with_its_128_bits()
    {
        // Version 2's layout, written out by hand: version, applied offset, last event time (ms),
        // the pseudonym as text, no start, one id digest with its first offset.
        var digest = SeenEvent.DigestOf("e1");
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            writer.Write((byte)2);
            writer.Write(41L);
            writer.Write(T0.ToUnixTimeMilliseconds());
            writer.Write(true);
            writer.Write("u_aab5e9a7881f410ca847edf5d012a1d5");
            writer.Write(false);
            writer.Write7BitEncodedInt(1);
            writer.Write((ulong)(digest >> 64));
            writer.Write((ulong)digest);
            writer.Write7BitEncodedInt64(7);
        }

        var read = SessionStateSerde.Instance.Deserialize(buffer.ToArray());

        Assert.Equal(User, read.UserPseudonym);
        Assert.Equal("u_aab5e9a7881f410ca847edf5d012a1d5", read.UserPseudonym.ToString());
        Assert.Equal([SeenEvent.Of("e1", 7)], read.Events.ToArray());
    }

    [Fact]
    public void Event_ids_differing_in_one_character_or_in_length_get_different_digests()
    {
        string[] ids = ["evt-1", "evt-2", "evt-1 ", "Evt-1", new string('x', 600), new string('x', 601)];

        Assert.Equal(ids.Length, ids.Select(SeenEvent.DigestOf).Distinct().Count());
        Assert.Equal(SeenEvent.DigestOf(new string('x', 601)), SeenEvent.DigestOf(new string('x', 601)));
    }

    [Fact]
    public void An_entry_of_another_format_version_is_refused_by_name()
    {
        var bytes = SessionStateSerde.Instance.Serialize(new SessionState(null, null, 3, T0, [], SuccessTimes.None));
        bytes[0] = 9;

        var error = Assert.Throws<InvalidDataException>(() => SessionStateSerde.Instance.Deserialize(bytes));
        Assert.Equal("Session entry has format version 9; this version of KpiStream reads 1 to 4.", error.Message);
    }

    [Fact]
    public void Format_version_4_is_the_layout_written_out_by_hand_and_a_session_of_many_ids_reads_back()
    {
        var start = new SessionStart("checkout", EuWeb, T0.AddSeconds(5), new TumblingWindow(T0, TimeSpan.FromMinutes(1)), Converted: true);
        var state = new SessionState(start, User, 300, T0.AddSeconds(95), [SeenEvent.Of("e1", 7), SeenEvent.Of("e2", 300)], SuccessTimes.Of([T0.AddSeconds(95)]));
        var expected = WrittenByHand(version: 4, state, writer =>
        {
            writer.Write7BitEncodedInt(1);
            writer.Write(T0.AddSeconds(95).ToUnixTimeMilliseconds());
        });

        Assert.Equal(expected, SessionStateSerde.Instance.Serialize(state));

        SeenEvent[] many = [.. Enumerable.Range(0, 60).Select(i => SeenEvent.Of($"id-{i}", 1_000_000_000_000L + i))];
        var large = SessionStateSerde.Instance.Deserialize(SessionStateSerde.Instance.Serialize(state with { Events = [.. many] }));
        Assert.Equal(many, large.Events.ToArray());
    }

    [Fact]
    public void An_entry_of_format_version_3_restores_a_conversion_as_one_success_at_its_start()
    {
        var start = new SessionStart("checkout", EuWeb, T0.AddSeconds(5), new TumblingWindow(T0, TimeSpan.FromMinutes(1)), Converted: true);
        var state = new SessionState(start, User, 300, T0.AddSeconds(95), [SeenEvent.Of("e1", 7), SeenEvent.Of("e2", 300)], SuccessTimes.None);

        var read = SessionStateSerde.Instance.Deserialize(WrittenByHand(version: 3, state, _ => { }));

        Assert.Equal((start, User, 300L), (read.Start, read.UserPseudonym, read.AppliedOffset));
        Assert.Equal(state.Events.ToArray(), read.Events.ToArray());
        Assert.Equal(1, read.Successes.Count);
        Assert.Equal(T0.AddSeconds(5), read.Successes[0]);
    }

    /// <summary>Versions 3 and 4 share their layout up to the event ids; <paramref name="tail"/> writes what follows them.</summary>
    private static byte[] WrittenByHand(byte version, SessionState state, Action<BinaryWriter> tail)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(version);
            writer.Write(300L);
            writer.Write(T0.AddSeconds(95).ToUnixTimeMilliseconds());
            writer.Write(true);
            writer.Write((ulong)(User.Value >> 64));
            writer.Write((ulong)User.Value);
            writer.Write(true);
            writer.Write("checkout");
            writer.Write(T0.AddSeconds(5).ToUnixTimeMilliseconds());
            writer.Write(T0.ToUnixTimeMilliseconds());
            writer.Write(60_000L);
            writer.Write(true);
            writer.Write7BitEncodedInt(2);
            writer.Write("device");
            writer.Write("web");
            writer.Write("region");
            writer.Write("eu-west");
            writer.Write7BitEncodedInt(2);
            foreach (var seen in state.Events)
            {
                writer.Write((ulong)(seen.IdDigest >> 64));
                writer.Write((ulong)seen.IdDigest);
                writer.Write7BitEncodedInt64(seen.FirstOffset);
            }

            tail(writer);
        }

        return buffer.ToArray();
    }

    [Fact]
    public void Session_keys_are_written_as_a_marker_and_their_digest_and_text_keys_of_earlier_versions_restore_to_the_same_digest()
    {
        var key = SessionKey.Of("checkout", "s-42");

        var bytes = SessionKeySerde.Instance.Serialize(key);

        Assert.Equal(17, bytes.Length);
        Assert.Equal(0, bytes[0]);
        Assert.Equal(key, SessionKeySerde.Instance.Deserialize(bytes));
        Assert.Equal(key, SessionKeySerde.Instance.Deserialize(System.Text.Encoding.UTF8.GetBytes("checkout|s-42")));
        Assert.Equal(TextDigest.Of("checkout|s-42"), key);
        Assert.NotEqual(key, SessionKey.Of("checkout", "s-43"));
    }

    [Fact]
    public void A_joined_digest_equals_the_digest_of_the_joined_text_also_past_the_stack_buffer()
    {
        var longId = new string('é', 400);

        Assert.Equal(TextDigest.Of("login|" + longId), TextDigest.Of("login", '|', longId));
        Assert.Equal(TextDigest.Of("a|b"), TextDigest.Of("a", '|', "b"));
    }

    [Fact]
    public void The_entry_expires_with_the_later_of_its_start_horizon_and_its_ids_horizon()
    {
        var start = new SessionStart("checkout", EuWeb, T0, new TumblingWindow(T0, TimeSpan.FromMinutes(1)), Converted: false);
        var recent = new SessionState(start, null, 1, T0.AddMinutes(2), [], SuccessTimes.None);

        Assert.Equal(T0.AddMinutes(62), recent.ExpiresAt(startFinalAt: T0.AddMinutes(12), TimeSpan.FromHours(1)));
        Assert.Equal(T0.AddMinutes(200), recent.ExpiresAt(startFinalAt: T0.AddMinutes(200), TimeSpan.FromHours(1)));
        Assert.Equal(T0.AddMinutes(62), (recent with { Start = null }).ExpiresAt(DateTimeOffset.MinValue, TimeSpan.FromHours(1)));
    }
}
