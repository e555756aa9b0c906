using System.CommandLine;
using System.Net;
using KpiStream.Processor.Configuration;

namespace KpiStream.Processor.Cli;

/// <summary>Options shared by several commands.</summary>
internal static class CliOptions
{
    public static Option<string> Config() => new("--config")
    {
        Description = "Journeys and SLOs specification (YAML).",
        DefaultValueFactory = _ => "config/journeys.yaml",
    };

    public static Option<int> Brokers() => new("--brokers")
    {
        Description = "Brokers of the embedded development cluster.",
        DefaultValueFactory = _ => 1,
    };

    public static Option<int> Partitions() => new("--partitions")
    {
        Description = "Partitions of the input topics and the repartition topic (co-partitioned: the same count for all).",
        DefaultValueFactory = _ => 6,
    };

    public static Option<int?> SchemaRegistryPort() => new("--schema-registry-port")
    {
        Description = "Port of the embedded Schema Registry on 127.0.0.1 (default 0: a free one, printed at start); not with --schema-registry-url.",
    };

    /// <summary>A comma-separated list of durations, or "none"; read it with <see cref="DurationText.TryParseList"/>.</summary>
    public static Option<string?> Durations(string name, string description)
    {
        // A string, not an array: System.CommandLine reads an absent array option as empty, not as absent.
        var option = new Option<string?>(name) { Description = description };
        option.Validators.Add(result =>
        {
            if (result.Tokens.Count == 1 && !DurationText.TryParseList(result.Tokens[0].Value, out _))
            {
                result.AddError($"{name}: expected {DurationText.ExpectedList}, got '{result.Tokens[0].Value}'.");
            }
        });
        return option;
    }

    /// <summary>
    /// An absolute http(s) URL. Parsed here, not by System.CommandLine, which has no converter for
    /// <see cref="Uri"/> and failed on every value when asked for one.
    /// </summary>
    public static Option<Uri?> HttpUrl(string name, string description) =>
        Parsed(name, description, "an absolute http(s) URL such as http://schema-registry:8081", text => HttpUrls.TryParse(text, out var url) ? url : null);

    public static Option<IPAddress?> IpAddress(string name, string description) =>
        Parsed(name, description, "an IP address such as 127.0.0.1, 0.0.0.0 or ::1", text => IPAddress.TryParse(text, out var address) ? address : null);

    /// <remarks>Zero parses; whether it is allowed is each setting's range, checked with the other options.</remarks>
    public static Option<TimeSpan?> Duration(string name, string description) =>
        Parsed(name, description, DurationText.Expected, text => DurationText.TryParse(text, out var duration, allowZero: true) ? duration : (TimeSpan?)null);

    /// <summary>An option of one value, null when <paramref name="parse"/> cannot read it, then refused in one line naming the option and what was expected.</summary>
    private static Option<T> Parsed<T>(string name, string description, string expected, Func<string, T> parse) => new(name)
    {
        Description = description,
        CustomParser = result =>
        {
            var text = result.Tokens.Single().Value;
            var value = parse(text);
            if (value is null)
            {
                result.AddError($"{name}: expected {expected}, got '{text}'.");
            }

            return value;
        },
    };
}
