using YamlDotNet.Core;

namespace KpiStream.Processor.Configuration.Journeys;

/// <summary>The problems found in one journeys file, each as <c>file:line:column: field: expectation</c>.</summary>
public sealed class SpecErrors(string fileName)
{
    private readonly List<string> _errors = [];

    public int Count => _errors.Count;

    public IReadOnlyList<string> All => _errors;

    public void Add(Mark at, string field, string message) => _errors.Add($"{fileName}:{at.Line}:{at.Column}: {field}: {message}");
}
