namespace KpiStream.Processor.Configuration;

/// <summary>A configuration that cannot run; each error names the file, position, field and what was expected.</summary>
public sealed class ConfigurationException(IReadOnlyList<string> errors)
    : Exception(string.Join(Environment.NewLine, errors))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}
