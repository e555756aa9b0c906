using System.Text.RegularExpressions;

namespace KpiStream.TestSupport;

public static partial class Bootstrap
{
    /// <summary>The host:port list from a line such as "... bootstrap servers: 127.0.0.1:4711,127.0.0.1:4712".</summary>
    public static string FromLine(string line) => Servers().Match(line) is { Success: true } m
        ? m.Groups[1].Value
        : throw new FormatException($"No bootstrap servers in '{line}'.");

    /// <summary>The port from a line such as "Metrics on http://[::]:40121/metrics".</summary>
    public static int MetricsPort(string text) => MetricsUrl().Match(text) is { Success: true } m
        ? int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)
        : throw new FormatException($"No metrics URL in '{text}'.");

    /// <summary>The URL from the line "Schema registry (embedded, development): http://127.0.0.1:4713" among <paramref name="lines"/>.</summary>
    public static Uri RegistryUrl(IEnumerable<string> lines) => lines.Select(l => Registry().Match(l)).FirstOrDefault(m => m.Success) is { } m
        ? new Uri(m.Groups[1].Value)
        : throw new FormatException("No embedded Schema Registry URL in the output.");

    [GeneratedRegex(@"^Schema registry \(embedded, development\): (http://[0-9.]+:[0-9]+)$")]
    private static partial Regex Registry();

    [GeneratedRegex(@"bootstrap servers: ((?:[0-9.]+:[0-9]+,?)+)")]
    private static partial Regex Servers();

    [GeneratedRegex(@"Metrics on http://[^ ]*:([0-9]+)/metrics")]
    private static partial Regex MetricsUrl();
}
