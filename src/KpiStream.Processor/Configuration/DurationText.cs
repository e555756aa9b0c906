using System.Globalization;
using System.Text.RegularExpressions;

namespace KpiStream.Processor.Configuration;

/// <summary>Durations as people write them in configuration: 500ms, 30s, 15m, 2h, 28d.</summary>
public static partial class DurationText
{
    public const string Expected = "a duration such as 500ms, 30s, 15m, 2h or 28d";

    /// <param name="allowZero">Whether 0 (in any unit) is a duration here; where it is not, it does not parse.</param>
    public static bool TryParse(string? text, out TimeSpan duration, bool allowZero = false)
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
        return duration > TimeSpan.Zero || allowZero;
    }

    public const string ExpectedList = "a comma-separated list of durations such as 5m,1h, or none";

    /// <summary>Durations separated by commas; "none" is the empty list.</summary>
    public static bool TryParseList(string text, out TimeSpan[] durations)
    {
        durations = [];
        if (text.Trim() == "none")
        {
            return true;
        }

        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var parsed = new TimeSpan[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!TryParse(parts[i], out parsed[i]))
            {
                return false;
            }
        }

        durations = parsed;
        return true;
    }

    public static TimeSpan Parse(string text, string setting) =>
        TryParse(text, out var duration) ? duration : throw new ArgumentException($"{setting}: expected {Expected}, got '{text}'.");

    /// <summary>The inverse of <see cref="Parse"/>: the largest unit that divides the duration exactly (90s, 5m, 1h).</summary>
    /// <summary>Named windows (a burn-rate map's keys) shortest first (5m 30m 1h 6h 1d 3d), not in the text order they sort in; names that are not durations last.</summary>
    public static IEnumerable<KeyValuePair<string, T>> ShortestFirst<T>(IEnumerable<KeyValuePair<string, T>> windows) =>
        windows.OrderBy(w => TryParse(w.Key, out var length) ? length : TimeSpan.MaxValue);

    public static string Format(TimeSpan duration) =>
        duration == TimeSpan.Zero ? "0s"
        : duration.Ticks % TimeSpan.TicksPerDay == 0 ? Invariant($"{duration.Ticks / TimeSpan.TicksPerDay}d")
        : duration.Ticks % TimeSpan.TicksPerHour == 0 ? Invariant($"{duration.Ticks / TimeSpan.TicksPerHour}h")
        : duration.Ticks % TimeSpan.TicksPerMinute == 0 ? Invariant($"{duration.Ticks / TimeSpan.TicksPerMinute}m")
        : duration.Ticks % TimeSpan.TicksPerSecond == 0 ? Invariant($"{duration.Ticks / TimeSpan.TicksPerSecond}s")
        : Invariant($"{duration.Ticks / TimeSpan.TicksPerMillisecond}ms");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex("^([0-9]{1,9})(ms|s|m|h|d)$")]
    private static partial Regex Pattern();
}
