namespace KpiStream.Processor.Configuration;

/// <summary>
/// Client settings from a file of <c>key=value</c> lines (<c>#</c> comments) or from environment
/// variables, merged with the same settings given on the command line, so that secrets need not
/// stand on a command line every user of the machine can read.
/// </summary>
public static class SettingsFile
{
    /// <summary>The command line's settings and the file's; a key set in both places, or twice in the file, is refused, naming file and line but never the value (it may be a secret).</summary>
    /// <param name="fileOption">The option that names the file, for messages.</param>
    /// <param name="commandLineOption">The option that gives single settings, for messages.</param>
    /// <param name="what">What a key is, for messages (e.g. "a librdkafka setting").</param>
    public static IReadOnlyDictionary<string, string> Merge(IReadOnlyDictionary<string, string> commandLine, string? path, string fileOption, string commandLineOption, string what)
    {
        if (path is null)
        {
            return commandLine;
        }

        if (!File.Exists(path))
        {
            throw new ArgumentException($"{fileOption}: expected a file of key=value lines, '{path}' does not exist.");
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
                throw new ArgumentException($"{path}:{i + 1}: expected key=value with {what} as the key.");
            }

            var key = parts[0].Trim();
            if (!settings.TryAdd(key, parts[1].Trim()))
            {
                throw new ArgumentException($"{path}:{i + 1}: {key} is set {(commandLine.ContainsKey(key) ? $"with {commandLineOption} too" : "twice")}; set it in one place.");
            }
        }

        return settings;
    }

    /// <summary>
    /// The settings of the environment variables named <paramref name="prefix"/> and the key in
    /// capitals with <c>_</c> for <c>.</c> (<c>KPISTREAM_KAFKA_SASL_PASSWORD</c> is <c>sasl.password</c>),
    /// added to <paramref name="settings"/>; a key set in both places is refused, without its value.
    /// </summary>
    /// <param name="elsewhere">Where else the settings come from, for messages.</param>
    public static IReadOnlyDictionary<string, string> WithEnvironment(IReadOnlyDictionary<string, string> settings, string prefix, string elsewhere, IEnumerable<KeyValuePair<string, string>> environment)
    {
        var merged = new Dictionary<string, string>(settings, StringComparer.Ordinal);
        foreach (var (name, value) in environment.Where(v => v.Key.StartsWith(prefix, StringComparison.Ordinal) && v.Key.Length > prefix.Length).OrderBy(v => v.Key, StringComparer.Ordinal))
        {
            var key = name[prefix.Length..].ToLowerInvariant().Replace('_', '.');
            if (!merged.TryAdd(key, value))
            {
                throw new ArgumentException($"{name}: {key} is set with {elsewhere} too; set it in one place.");
            }
        }

        return merged;
    }

    /// <summary>This process's environment variables.</summary>
    public static IEnumerable<KeyValuePair<string, string>> ProcessEnvironment() =>
        Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>().Select(e => new KeyValuePair<string, string>((string)e.Key, (string?)e.Value ?? ""));
}
