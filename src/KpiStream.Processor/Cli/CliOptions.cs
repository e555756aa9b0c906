using System.CommandLine;
using System.Net;
using KpiStream.Processor.Configuration;
using KpiStream.Processor.Forwarding;
using KpiStream.Processor.Hosting;

namespace KpiStream.Processor.Cli;

/// <summary>Options shared by several commands.</summary>
internal static class CliOptions
{
    private const string RegistrySetting = "a Schema Registry client setting";

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

    public static (Option<string[]> Properties, Option<string?> File) KafkaSettings() =>
        (new Option<string[]>("--kafka-property", "-X")
        {
            Description = "A librdkafka setting for every Kafka client, as key=value (repeatable): SASL, TLS, timeouts.",
            AllowMultipleArgumentsPerToken = false,
        },
        new Option<string?>("--kafka-config") { Description = "A file of librdkafka settings as key=value lines (# comments), e.g. SASL credentials from a mounted secret; merged with -X, each key in one place." });

    /// <summary>The librdkafka settings from -X, --kafka-config and the KPISTREAM_KAFKA_ environment variables.</summary>
    public static IReadOnlyDictionary<string, string> KafkaSettings(ParseResult parse, (Option<string[]> Properties, Option<string?> File) options) =>
        SettingsFile.WithEnvironment(
            KafkaClientSettings.WithFile(KafkaClientSettings.Parse(parse.GetValue(options.Properties) ?? []), parse.GetValue(options.File)),
            RunOptions.KafkaVariablePrefix,
            "-X or --kafka-config",
            SettingsFile.ProcessEnvironment());

    public static (Option<string[]> Properties, Option<string?> File) RegistrySettings() =>
        (new Option<string[]>("--schema-registry-property", "-S")
        {
            Description = "A setting of Confluent's Schema Registry client as key=value (repeatable), e.g. basic.auth.user.info; with --schema-registry-url.",
            AllowMultipleArgumentsPerToken = false,
        },
        new Option<string?>("--schema-registry-config") { Description = "A file of Schema Registry client settings as key=value lines (# comments), e.g. credentials from a mounted secret; merged with -S, each key in one place." });

    /// <summary>The Schema Registry client settings from -S, --schema-registry-config and the KPISTREAM_SCHEMA_REGISTRY_ environment variables.</summary>
    public static IReadOnlyDictionary<string, string> RegistrySettings(ParseResult parse, (Option<string[]> Properties, Option<string?> File) options) =>
        SettingsFile.WithEnvironment(
            SettingsFile.Merge(KafkaClientSettings.Parse(parse.GetValue(options.Properties) ?? [], "-S", RegistrySetting), parse.GetValue(options.File), "--schema-registry-config", "-S", RegistrySetting),
            RunOptions.SchemaRegistryVariablePrefix,
            "-S or --schema-registry-config",
            SettingsFile.ProcessEnvironment());

    /// <summary>A repeatable <see cref="HttpUrl"/>: every value must be an absolute http(s) URL.</summary>
    public static Option<Uri[]> HttpUrlList(string name, string description) => new(name)
    {
        Description = description,
        AllowMultipleArgumentsPerToken = false,
        CustomParser = result =>
        {
            var urls = new List<Uri>();
            foreach (var token in result.Tokens)
            {
                if (HttpUrls.TryParse(token.Value, out var url))
                {
                    urls.Add(url);
                }
                else
                {
                    result.AddError($"{name}: expected an absolute http(s) URL such as http://alertmanager:9093, got '{token.Value}'.");
                }
            }

            return [.. urls];
        },
    };

    /// <summary>The Alertmanager options `run` and `alerts forward` share: where to send, how often firing alerts are sent again, and the credentials.</summary>
    public static (Option<Uri[]> Urls, Option<TimeSpan?> ResendInterval, Option<string?> Config) Alertmanager() =>
        (HttpUrlList("--alertmanager-url", "Alertmanager to send kpi.alerts to (its API v2), e.g. http://alertmanager:9093; repeat for each of a cluster."),
         Duration("--alertmanager-resend-interval", "How often firing alerts are sent to Alertmanager again, below its resolve timeout (default 1m; 1s to 2m30s)."),
         new Option<string?>("--alertmanager-config") { Description = $"A file of Alertmanager client settings as key=value lines (# comments), e.g. a mounted secret: {AlertmanagerCredentials.BasicAuthKey}=USER:PASSWORD or {AlertmanagerCredentials.BearerTokenKey}=TOKEN, and {AlertmanagerTrust.CaLocationKey}=PEM FILE for a private CA." });

    /// <summary>The Alertmanager options as parsed; null when no URL is given.</summary>
    public static AlertmanagerOptions? Alertmanager(ParseResult parse, (Option<Uri[]> Urls, Option<TimeSpan?> ResendInterval, Option<string?> Config) options)
    {
        var config = parse.GetValue(options.Config);
        if (parse.GetValue(options.Urls) is not { Length: > 0 } urls)
        {
            return config is null ? null : throw new ArgumentException("--alertmanager-config: given without --alertmanager-url; there is no Alertmanager to send it to.");
        }

        var settings = SettingsFile.Merge(new Dictionary<string, string>(), config, "--alertmanager-config", "--alertmanager-config", "an Alertmanager client setting");
        return new AlertmanagerOptions
        {
            Urls = urls,
            ResendInterval = parse.GetValue(options.ResendInterval) ?? new AlertmanagerOptions().ResendInterval,
            Credentials = AlertmanagerCredentials.From(settings, config ?? "--alertmanager-config"),
            Trust = AlertmanagerTrust.From(settings, config ?? "--alertmanager-config"),
        };
    }

    public static Option<TimeSpan?> StartupTimeout(string waitsFor) =>
        Duration("--startup-timeout", $"How long start-up waits for {waitsFor} before it gives up with exit code 1 (default 60s; 1s to 1h).");

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
