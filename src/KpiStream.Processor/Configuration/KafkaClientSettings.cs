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
    /// <param name="option">The option that gave them, for messages.</param>
    /// <param name="what">What a key is, for messages.</param>
    public static IReadOnlyDictionary<string, string> Parse(IEnumerable<string> pairs, string option = "-X", string what = "a librdkafka setting")
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in pairs)
        {
            var parts = pair.Split('=', 2);
            if (parts.Length != 2 || string.IsNullOrWhiteSpace(parts[0]))
            {
                throw new ArgumentException($"{option}: expected key=value with {what} as the key, got '{pair}'.");
            }

            if (!settings.TryAdd(parts[0], parts[1]))
            {
                throw new ArgumentException($"{option} {parts[0]}: given twice; give each setting once.");
            }
        }

        return settings;
    }

    /// <summary>
    /// The settings of a properties file (<c>--kafka-config</c>), merged with those of the command
    /// line, so that secrets such as <c>sasl.password</c> can come from a mounted file instead of a
    /// command line every user of the machine can read.
    /// </summary>
    public static IReadOnlyDictionary<string, string> WithFile(IReadOnlyDictionary<string, string> commandLine, string? path) =>
        SettingsFile.Merge(commandLine, path, "--kafka-config", "-X", "a librdkafka setting");

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
