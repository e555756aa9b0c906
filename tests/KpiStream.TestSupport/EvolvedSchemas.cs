using System.Text.Json.Nodes;
using Avro;
using Avro.Generic;

namespace KpiStream.TestSupport;

/// <summary>Writer schemas a producer on another release would use: a newer one with a field added, an older one without a field that has a default.</summary>
public static class EvolvedSchemas
{
    /// <summary><paramref name="schema"/> with an optional string field <paramref name="field"/> (default null) at the end.</summary>
    public static RecordSchema WithOptionalField(RecordSchema schema, string field) => Edit(schema, fields =>
        fields.Add(new JsonObject { ["name"] = field, ["type"] = new JsonArray("null", "string"), ["default"] = null }));

    /// <summary><paramref name="schema"/> without <paramref name="field"/>, which must have a default for the result to stay compatible.</summary>
    public static RecordSchema WithoutField(RecordSchema schema, string field) => Edit(schema, fields =>
        fields.Remove(fields.Single(f => f!["name"]!.GetValue<string>() == field)));

    /// <summary><paramref name="record"/> as a record of <paramref name="schema"/>: the fields both have, and null for the others.</summary>
    public static GenericRecord As(GenericRecord record, RecordSchema schema)
    {
        var converted = new GenericRecord(schema);
        foreach (var field in schema.Fields)
        {
            converted.Add(field.Name, record.Schema.Contains(field.Name) ? record[field.Name] : null);
        }

        return converted;
    }

    private static RecordSchema Edit(RecordSchema schema, Action<JsonArray> edit)
    {
        var json = JsonNode.Parse(schema.ToString())!;
        edit(json["fields"]!.AsArray());
        return (RecordSchema)Schema.Parse(json.ToJsonString());
    }
}
