using System.Text;
using KpiStream.Serialization.Avro;

namespace KpiStream.UnitTests.Serialization;

public sealed class Utf8StringPoolTests
{
    [Fact]
    public void Equal_text_decodes_to_one_instance_and_different_text_to_another()
    {
        var pool = new Utf8StringPool();

        var first = pool.Get("eu-west"u8);
        var second = pool.Get(Encoding.UTF8.GetBytes("eu-west"));
        var other = pool.Get("région-ñ"u8);

        Assert.Equal("eu-west", first);
        Assert.Same(first, second);
        Assert.Equal("région-ñ", other);
        Assert.Same(other, pool.Get("région-ñ"u8));
    }

    [Fact]
    public void Past_its_capacity_and_beyond_64_bytes_a_pool_decodes_without_keeping()
    {
        var pool = new Utf8StringPool(capacity: 1);
        var kept = pool.Get("web"u8);
        var long65 = new string('x', 65);

        Assert.Same(kept, pool.Get("web"u8));
        Assert.NotSame(pool.Get("ios"u8), pool.Get("ios"u8));
        Assert.Equal(long65, pool.Get(Encoding.UTF8.GetBytes(long65)));
        Assert.NotSame(pool.Get(Encoding.UTF8.GetBytes(long65)), pool.Get(Encoding.UTF8.GetBytes(long65)));
    }
}
