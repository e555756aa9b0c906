using System.Collections.Immutable;

namespace KpiStream.Core.Privacy;

/// <summary>
/// The fields of a domain event that identify a person: <c>user_id</c> always, and the
/// <c>attributes</c> entries the journeys file names. None of them may leave the processor as
/// written: the user id only as its pseudonym, personal attributes not at all, except where a
/// dead letter keeps them pseudonymized.
/// </summary>
public sealed record PersonalFields(ImmutableArray<string> Attributes)
{
    public const string UserId = "user_id";
    public const string AttributePrefix = "attributes.";

    public static readonly PersonalFields Default = new(ImmutableArray<string>.Empty);

    /// <summary>Every personal field as written in the journeys file: <c>user_id</c>, then <c>attributes.&lt;name&gt;</c>.</summary>
    public IEnumerable<string> Names => [UserId, .. Attributes.Select(a => AttributePrefix + a)];

    public bool IsPersonalAttribute(string name) => Attributes.Contains(name, StringComparer.Ordinal);
}
