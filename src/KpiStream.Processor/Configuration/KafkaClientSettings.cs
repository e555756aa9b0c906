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
