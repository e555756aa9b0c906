using Avro.Generic;
using KpiStream.Core.Events;
using KpiStream.Core.Privacy;
using KpiStream.Serialization.Avro;

namespace KpiStream.Processor.Kpis.Funnel;

/// <summary>
/// Replaces the personal fields of a domain event as its producer wrote it (<c>user_id</c> and the
/// personal attributes) by their pseudonyms, so that a dead letter keeps the record, readable and
/// replayable with the same writer schema, without the identifiers.
/// </summary>
public sealed class PersonalFieldsRedactor(AvroCodec<DomainEvent> codec, PersonalFields personal, Pseudonymizer pseudonymizer)
{
    private const string AttributesField = "attributes";

    /// <summary>The record with its personal fields pseudonymized, and which of them it held; null when it cannot be re-encoded.</summary>
    public (byte[] Value, IReadOnlyList<string> Replaced)? Redact(byte[] framed)
    {
        var replaced = new List<string>();
        var value = codec.Rewrite(framed, record =>
        {
            if (record.TryGetValue(PersonalFields.UserId, out var user) && user is string userId)
            {
                record.Add(PersonalFields.UserId, Pseudonym(userId));
                replaced.Add(PersonalFields.UserId);
            }

            if (!personal.Attributes.IsEmpty && record.TryGetValue(AttributesField, out var map) && map is IDictionary<string, object> attributes)
            {
                foreach (var name in personal.Attributes)
                {
                    if (attributes.TryGetValue(name, out var entry) && entry is string text)
                    {
                        attributes[name] = Pseudonym(text);
                        replaced.Add(PersonalFields.AttributePrefix + name);
                    }
                }
            }
        });
        return value is null ? null : (value, replaced);
    }

    private string Pseudonym(string text) => pseudonymizer.Pseudonymize(text).ToString();
}
