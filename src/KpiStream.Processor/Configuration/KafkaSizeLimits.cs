using System.Globalization;

namespace KpiStream.Processor.Configuration;

/// <summary>
/// The record size limit of KpiStream's producers, read from the librdkafka settings passed with
/// <c>-X</c>, so raising it there raises it for the dead letters too.
/// </summary>
public static class KafkaSizeLimits
{
    public const string MessageMaxBytesKey = "message.max.bytes";

    /// <summary>librdkafka's default and the usual broker limit (a broker's is 1,048,588).</summary>
    public const int DefaultMessageMaxBytes = 1_000_000;

    /// <summary>librdkafka's range for <c>message.max.bytes</c>.</summary>
    public const int MinMessageMaxBytes = 1_000;
    public const int MaxMessageMaxBytes = 1_000_000_000;

    /// <summary>The producers' <c>message.max.bytes</c>: the largest record they send, key, value and headers together.</summary>
    public static int MessageMaxBytes(IReadOnlyDictionary<string, string> kafkaProperties)
    {
        if (!kafkaProperties.TryGetValue(MessageMaxBytesKey, out var text))
        {
            return DefaultMessageMaxBytes;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var bytes) && bytes is >= MinMessageMaxBytes and <= MaxMessageMaxBytes
            ? bytes
            : throw new ArgumentException($"-X {MessageMaxBytesKey}: expected {MinMessageMaxBytes} to {MaxMessageMaxBytes} bytes, got '{text}'.");
    }
}
