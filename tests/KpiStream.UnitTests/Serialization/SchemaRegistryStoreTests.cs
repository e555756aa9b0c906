using Avro;
using KpiStream.Serialization.Registry;

namespace KpiStream.UnitTests.Serialization;

public class SchemaRegistryStoreTests
{
    private static readonly Schema V1 = Record("""{"name":"id","type":"string"}""");
    private static readonly Schema V2OptionalField = Record("""{"name":"id","type":"string"},{"name":"note","type":["null","string"],"default":null}""");
    private static readonly Schema V3RequiredField = Record("""{"name":"id","type":"string"},{"name":"note","type":["null","string"],"default":null},{"name":"count","type":"int"}""");
    private static readonly Schema WithoutId = Record("""{"name":"note","type":["null","string"],"default":null}""");

    [Fact]
    public void The_same_schema_under_a_subject_twice_is_one_version_with_the_id_of_its_fingerprint()
    {
        var store = new SchemaRegistryStore([]);
        Assert.Equal(SchemaRegistryStore.IdOf(V1), store.Register("t-value", V1).Id);
        Assert.Equal(SchemaRegistryStore.IdOf(V1), store.Register("t-value", Schema.Parse(V1.ToString())).Id);
        Assert.Equal([1], store.Versions("t-value"));
        Assert.Equal(new SubjectVersion("t-value", 1, SchemaRegistryStore.IdOf(V1), V1), store.Version("t-value", null));
        Assert.Null(store.Versions("other-value"));
    }

    [Fact]
    public void Under_backward_a_new_field_needs_a_default_and_the_refusal_names_the_version()
    {
        var store = new SchemaRegistryStore([]);
        store.Register("t-value", V1);
        Assert.Equal(SchemaRegistryStore.IdOf(V2OptionalField), store.Register("t-value", V2OptionalField).Id);

        var refused = store.Register("t-value", V3RequiredField);
        Assert.Null(refused.Id);
        Assert.Equal("the new schema cannot read data written with version 2 (BACKWARD): a field it adds has no default, or a type changed", refused.Refusal);
        Assert.Equal([1, 2], store.Versions("t-value"));
        Assert.Equal(2, store.Lookup("t-value", V2OptionalField)!.Version);
        Assert.Null(store.Lookup("t-value", V3RequiredField));
    }

    [Fact]
    public void Removing_a_field_without_a_default_is_backward_but_not_forward_compatible()
    {
        var store = new SchemaRegistryStore([]);
        store.Register("t-value", V2OptionalField);
        Assert.Null(store.Incompatibility("t-value", WithoutId));

        store.SetSubjectCompatibility("t-value", CompatibilityLevel.Forward);
        Assert.Equal("version 1 cannot read data written with the new schema (FORWARD): a field it removes has no default, or a type changed", store.Incompatibility("t-value", WithoutId));
        Assert.Equal(CompatibilityLevel.Backward, store.Compatibility);
        Assert.Equal(CompatibilityLevel.Forward, store.SubjectCompatibility("t-value"));
    }

    [Fact]
    public void A_transitive_level_checks_every_version_and_none_checks_nothing()
    {
        var store = new SchemaRegistryStore([]) { Compatibility = CompatibilityLevel.None };
        store.Register("t-value", V1);
        store.Register("t-value", WithoutId);

        // Version 2 is the schema itself; version 1 cannot read what it writes, as version 1's id has no default.
        store.Compatibility = CompatibilityLevel.ForwardTransitive;
        Assert.Equal("version 1 cannot read data written with the new schema (FORWARD_TRANSITIVE): a field it removes has no default, or a type changed", store.Incompatibility("t-value", WithoutId));
        store.Compatibility = CompatibilityLevel.Forward;
        Assert.Null(store.Incompatibility("t-value", WithoutId));
    }

    [Fact]
    public void Known_schemas_resolve_by_id_before_any_subject_holds_them()
    {
        var store = new SchemaRegistryStore([V1]);
        Assert.Equal(V1, store.SchemaById(SchemaRegistryStore.IdOf(V1)));
        Assert.Empty(store.Subjects());
        Assert.Null(store.SchemaById(1));
    }

    [Theory]
    [InlineData("BACKWARD_TRANSITIVE", CompatibilityLevel.BackwardTransitive)]
    [InlineData("full", CompatibilityLevel.Full)]
    [InlineData("NONE", CompatibilityLevel.None)]
    public void Levels_parse_from_confluents_names(string name, CompatibilityLevel level)
    {
        Assert.True(CompatibilityLevelNames.TryParse(name, out var parsed));
        Assert.Equal(level, parsed);
        Assert.Equal(name.ToUpperInvariant(), parsed.Name());
        Assert.False(CompatibilityLevelNames.TryParse("SIDEWAYS", out _));
    }

    private static Schema Record(string fields) => Schema.Parse($$"""{"type":"record","name":"Thing","namespace":"test","fields":[{{fields}}]}""");
}
