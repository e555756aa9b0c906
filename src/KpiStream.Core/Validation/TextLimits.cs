namespace KpiStream.Core.Validation;

/// <summary>
/// Bounds on the free text and amounts of input records that reaches state and outputs (segment values,
/// currencies, service names, deploy markers). Without them one record could make a partial, a KPI
/// window or an alert larger than any producer accepts, and so stop the stream that carries it.
/// </summary>
public static class TextLimits
{
    /// <summary>Segment values, services, regions, deploy ids and versions.</summary>
    public const int MaxNameLength = 128;

    /// <summary>A deploy marker's author and description.</summary>
    public const int MaxDescriptionLength = 1024;

    /// <summary>
    /// Largest amount of one event, in minor units either way (10 billion in a currency of two
    /// decimals). Revenue sums are checked; amounts near <see cref="long.MaxValue"/> would overflow
    /// them on the second event and fail every replay of that record.
    /// </summary>
    public const long MaxAmountMinor = 1_000_000_000_000;

    /// <summary>Currencies are ISO 4217 codes: three capital letters.</summary>
    public static bool IsCurrencyCode(string currency) =>
        currency.Length == 3 && currency.All(c => c is >= 'A' and <= 'Z');

    /// <summary>The detail of an <see cref="DeadLetterReason.InvalidValue"/> for a field over its limit, or null when within it.</summary>
    public static string? TooLong(string field, string? value, int limit) =>
        value is { Length: var length } && length > limit ? $"{field} is {length} characters, at most {limit} are accepted" : null;
}
