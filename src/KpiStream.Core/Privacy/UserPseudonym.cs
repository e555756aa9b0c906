using System.Globalization;

namespace KpiStream.Core.Privacy;

/// <summary>
/// A user's keyed-hash token from <see cref="Pseudonymizer"/>: 128 bits held inline (a value, not
/// a string, as every open session keeps one), written as "u_" and 32 lowercase hex digits.
/// </summary>
public readonly record struct UserPseudonym(UInt128 Value)
{
    private const string Prefix = "u_";
    private const int HexDigits = 32;

    public override string ToString() => Prefix + Value.ToString("x32", CultureInfo.InvariantCulture);

    /// <summary>Reads the text form written by <see cref="ToString"/>.</summary>
    public static UserPseudonym Parse(string text) =>
        text.Length == Prefix.Length + HexDigits && text.StartsWith(Prefix, StringComparison.Ordinal)
        && UInt128.TryParse(text.AsSpan(Prefix.Length), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value)
            ? new UserPseudonym(value)
            : throw new FormatException($"'{text}' is not a user pseudonym: expected '{Prefix}' and {HexDigits} hex digits.");
}
