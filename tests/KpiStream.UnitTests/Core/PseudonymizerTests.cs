using System.Text;
using KpiStream.Core.Privacy;

namespace KpiStream.UnitTests.Core;

public class PseudonymizerTests
{
    [Fact]
    public void The_pseudonym_is_the_keyed_hmac_sha256_of_the_id()
    {
        var pseudonymizer = new Pseudonymizer(Encoding.UTF8.GetBytes("0123456789abcdef-test-key"));

        // HMAC-SHA256(key, "user-42"), first 16 bytes in hex, computed independently with Python's hmac module.
        Assert.Equal("u_aab5e9a7881f410ca847edf5d012a1d5", pseudonymizer.Pseudonymize("user-42").ToString());
    }

    [Fact]
    public void Another_key_gives_another_pseudonym_and_the_same_key_the_same()
    {
        var a = new Pseudonymizer(Encoding.UTF8.GetBytes("0123456789abcdef-test-key"));
        var b = new Pseudonymizer(Encoding.UTF8.GetBytes("0123456789abcdef-other-key"));

        Assert.Equal(a.Pseudonymize("user-42"), a.Pseudonymize("user-42"));
        Assert.NotEqual(a.Pseudonymize("user-42"), b.Pseudonymize("user-42"));
        Assert.NotEqual(a.Pseudonymize("user-42"), a.Pseudonymize("user-43"));
    }

    [Fact]
    public void Threads_sharing_one_pseudonymizer_get_the_pseudonyms_one_thread_gets()
    {
        var pseudonymizer = new Pseudonymizer(Encoding.UTF8.GetBytes("0123456789abcdef-test-key"));
        var ids = Enumerable.Range(0, 2_000).Select(i => $"user-{i}").ToArray();
        var expected = ids.Select(pseudonymizer.Pseudonymize).ToArray();

        var concurrent = new UserPseudonym[ids.Length];
        Parallel.For(0, ids.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => concurrent[i] = pseudonymizer.Pseudonymize(ids[i]));

        Assert.Equal(expected, concurrent);
        Assert.Equal("u_aab5e9a7881f410ca847edf5d012a1d5", pseudonymizer.Pseudonymize("user-42").ToString());
    }

    [Fact]
    public void A_pseudonym_reads_back_from_its_text_and_other_text_is_refused_by_name()
    {
        var pseudonym = new Pseudonymizer(Encoding.UTF8.GetBytes("0123456789abcdef-test-key")).Pseudonymize("user-42");

        Assert.Equal(pseudonym, UserPseudonym.Parse(pseudonym.ToString()));
        Assert.Equal("u_0000000000000000000000000000002a", new UserPseudonym(42).ToString());
        var error = Assert.Throws<FormatException>(() => UserPseudonym.Parse("u_xyz"));
        Assert.Equal("'u_xyz' is not a user pseudonym: expected 'u_' and 32 hex digits.", error.Message);
        Assert.Throws<FormatException>(() => UserPseudonym.Parse("u_aab5e9a7881f410ca847edf5d012a1dg"));
    }

    [Fact]
    public void Short_keys_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new Pseudonymizer(new byte[15]));
    }
}
