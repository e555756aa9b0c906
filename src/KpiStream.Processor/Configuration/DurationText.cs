using System.Globalization;
using System.Text.RegularExpressions;

namespace KpiStream.Processor.Configuration;

/// <summary>Durations as people write them in configuration: 500ms, 30s, 15m, 2h, 28d.</summary>
public static partial class DurationText
{
    public const string Expected = "a duration such as 500ms, 30s, 15m, 2h or 28d";

    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = default;
        var match = text is null ? Match.Empty : Pattern().Match(text.Trim());
        if (!match.Success)
        {
            return false;
        }

        var amount = long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        duration = match.Groups[2].Value switch
        {
            "ms" => TimeSpan.FromMilliseconds(amount),
            "s" => TimeSpan.FromSeconds(amount),
            "m" => TimeSpan.FromMinutes(amount),
            "h" => TimeSpan.FromHours(amount),
            _ => TimeSpan.FromDays(amount),
        };
        return duration > TimeSpan.Zero;
    }

    public static TimeSpan Parse(string text, string setting) =>
        TryParse(text, out var duration) ? duration : throw new ArgumentException($"{setting}: expected {Expected}, got '{text}'.");

    [GeneratedRegex("^([0-9]{1,9})(ms|s|m|h|d)$")]
    private static partial Regex Pattern();
}
