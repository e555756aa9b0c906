namespace KpiStream.Streaming.Runtime;

/// <summary>Kafka's rule for names it builds topics and ids from: letters, digits, '.', '_' and '-', at most 249 characters, never "." or "..".</summary>
public static class KafkaNames
{
    public const int MaxLength = 249;

    public const string Rule = "letters, digits, '.', '_' and '-', at most 249 characters, not '.' or '..'";

    public static bool IsValid(string? name) =>
        name is { Length: > 0 and <= MaxLength } and not ("." or "..")
        && name.All(c => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '.' or '_' or '-');

    /// <summary>Throws naming <paramref name="option"/> unless <paramref name="name"/> follows <see cref="Rule"/>.</summary>
    public static void Require(string? name, string option)
    {
        if (!IsValid(name))
        {
            throw new ArgumentException($"{option}: expected {Rule}, got '{name}'.");
        }
    }
}
