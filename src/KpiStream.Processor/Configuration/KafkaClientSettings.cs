using Confluent.Kafka;

namespace KpiStream.Processor.Configuration;

/// <summary>
/// The librdkafka settings passed with <c>-X key=value</c>: parsed once, with a repeated key
/// refused, and checked by librdkafka itself before anything connects, so a typo is one line at
/// start-up instead of a failed stream thread after the group's first assignment.
/// </summary>
public static class KafkaClientSettings
{
    /// <summary>The settings of <c>key=value</c> pairs; throws naming the first one that is malformed or repeated.</summary>
    public static IReadOnlyDictionary<string, string> Parse(IEnumerable<string> pairs)
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in pairs)
        {
            var parts = pair.Split('=', 2);
            if (parts.Length != 2 || string.IsNullOrWhiteSpace(parts[0]))
            {
                throw new ArgumentException($"-X: expected key=value with a librdkafka setting as the key, got '{pair}'.");
            }

            if (!settings.TryAdd(parts[0], parts[1]))
            {
                throw new ArgumentException($"-X {parts[0]}: given twice; give each setting once.");
            }
        }

        return settings;
    }

    /// <summary>
    /// The settings of a properties file (<c>--kafka-config</c>: <c>key=value</c> lines, <c>#</c>
    /// comments), merged with those of the command line, so that secrets such as
    /// <c>sasl.password</c> can come from a mounted file instead of a command line every user of
    /// the machine can read. A key set in both places is refused.
    /// </summary>
    public static IReadOnlyDictionary<string, string> WithFile(IReadOnlyDictionary<string, string> commandLine, string? path)
    {
        if (path is null)
        {
            return commandLine;
        }

        if (!File.Exists(path))
        {
            throw new ArgumentException($"--kafka-config: expected a file of key=value lines, '{path}' does not exist.");
        }

        var settings = new Dictionary<string, string>(commandLine, StringComparer.Ordinal);
        var lines = File.ReadAllLines(path);
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var parts = line.Split('=', 2);
            if (parts.Length != 2 || string.IsNullOrWhiteSpace(parts[0]))
            {
                // The line is not repeated: it may hold a secret.
                throw new ArgumentException($"{path}:{i + 1}: expected key=value with a librdkafka setting as the key.");
            }

            var key = parts[0].Trim();
            if (!settings.TryAdd(key, parts[1].Trim()))
            {
                throw new ArgumentException($"{path}:{i + 1}: {key} is set {(commandLine.ContainsKey(key) ? "with -X too" : "twice")}; set it in one place.");
            }
        }

        return settings;
    }

    /// <summary>
    /// Builds (and drops) a producer and a consumer with the settings and no broker: librdkafka
    /// refuses unknown keys and bad values, naming the property, as it would later.
    /// </summary>
    public static void Validate(IReadOnlyDictionary<string, string> settings)
    {
        if (settings.Count == 0)
        {
            return;
        }

        try
        {
            using (new ProducerBuilder<byte[], byte[]>(settings).SetLogHandler(Ignore).Build())
            {
            }

            // The consumer refuses to be built without a group; the stream threads give theirs.
            using (new ConsumerBuilder<byte[], byte[]>(new Dictionary<string, string>(settings) { ["group.id"] = "kpistream-settings-check" }).SetLogHandler(Ignore).Build())
            {
            }
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or KafkaException)
        {
            // librdkafka's message names the property; values are not repeated, as they may be secrets.
            throw new ArgumentException($"-X: librdkafka refused the settings: {e.Message.TrimEnd('.')}.", e);
        }
    }

    private static void Ignore(IClient client, LogMessage message)
    {
    }
}
