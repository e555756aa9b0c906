using KpiStream.Core.Events;
using KpiStream.Serialization;
using KpiStream.Serialization.Avro;
using KpiStream.Serialization.Mapping;
using KpiStream.Serialization.Registry;
using KpiStream.TestSupport;

namespace KpiStream.UnitTests.Serialization;

public class WireFormatTests
{
    [Fact]
    public void A_frame_is_magic_byte_zero_then_the_big_endian_schema_id_then_the_payload()
    {
        var framed = WireFormat.Frame(0x01020304, [0xAA, 0xBB]);

        Assert.Equal(new byte[] { 0x00, 0x01, 0x02, 0x03, 0x04, 0xAA, 0xBB }, framed);
        Assert.True(WireFormat.TryReadHeader(framed, out var id));
        Assert.Equal(0x01020304, id);
    }

    [Theory]
    [InlineData(new byte[] { 0x00, 0x01, 0x02, 0x03 })]
    [InlineData(new byte[] { 0x01, 0x00, 0x00, 0x00, 0x01, 0x02 })]
    public void Short_or_unmarked_bytes_have_no_header(byte[] bytes) =>
        Assert.False(WireFormat.TryReadHeader(bytes, out _));

    [Fact]
    public void A_deployment_marker_encodes_to_exactly_these_bytes()
    {
        var registry = TestSchemas.NewRegistry();
        var codec = new AvroCodec<DeploymentMarker>(new DeploymentMarkerMapper(TestSchemas.Set.DeploymentMarker), registry, "deployments");
        var marker = new DeploymentMarker("d1", "api", "v2", DateTimeOffset.FromUnixTimeMilliseconds(1000), null, null, null);

        var bytes = codec.Encode(marker);

        var id = SchemaRegistryStore.IdOf(TestSchemas.Set.DeploymentMarker);
        byte[] expected =
        [
            0x00, (byte)(id >> 24), (byte)(id >> 16), (byte)(id >> 8), (byte)id,
            0x04, (byte)'d', (byte)'1',              // deploy_id: zig-zag length 2, "d1"
            0x06, (byte)'a', (byte)'p', (byte)'i',   // service: length 3, "api"
            0x04, (byte)'v', (byte)'2',              // version
            0xD0, 0x0F,                               // deployed_at: 1000 ms, zig-zag 2000 as a varint
            0x00, 0x00, 0x00,                         // region, author, description: union branch 0 (null)
        ];
        Assert.Equal(expected, bytes);
    }

    [Fact]
    public void Embedded_schema_ids_are_stable_across_registries_and_distinct_per_schema()
    {
        var ids = TestSchemas.Set.ByFullName.Values.Select(SchemaRegistryStore.IdOf).ToList();
        var reloaded = SchemaSet.Load(TestSchemas.Directory).ByFullName.Values.Select(SchemaRegistryStore.IdOf).ToList();

        Assert.Equal(ids, reloaded);
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(ids, id => Assert.True(id > 0));
    }
}
