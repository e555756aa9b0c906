namespace KpiStream.Processor.Configuration;

/// <summary>A file of client settings as <c>key=value</c> lines (<c>#</c> comments), merged with the same settings given on the command line.</summary>
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
}
