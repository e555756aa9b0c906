using System.Text.RegularExpressions;
using KpiStream.TestSupport;

namespace KpiStream.IntegrationTests;

/// <summary>
/// The Dockerfile cannot be built here (no Docker engine): what can be checked without one is that it copies what
/// exists, publishes the processor, and runs the kpistream entry point as a user without privileges, as the chart expects.
/// </summary>
public partial class DockerfileTests
{
    private static readonly string Dockerfile = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "Dockerfile"));

    [Fact]
    public void Every_path_it_copies_from_the_repository_exists()
    {
        var sources = CopyLine().Matches(Dockerfile).SelectMany(m => m.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)[..^1]).ToList();
        Assert.Contains("src/", sources);
        Assert.All(sources, source => Assert.True(File.Exists(Path.Combine(RepositoryPaths.Root, source)) || Directory.Exists(Path.Combine(RepositoryPaths.Root, source)), $"{source} does not exist"));
    }

    [Fact]
    public void It_publishes_the_processor_and_runs_kpistream_as_the_non_root_user_the_chart_runs_as()
    {
        Assert.Contains("dotnet publish src/KpiStream.Processor/KpiStream.Processor.csproj", Dockerfile, StringComparison.Ordinal);
        Assert.Contains("ENTRYPOINT [\"dotnet\", \"/app/kpistream.dll\"]", Dockerfile, StringComparison.Ordinal);
        // The last USER is the one that runs, and it is the chart's runAsUser.
        Assert.Equal("10001:10001", UserLine().Matches(Dockerfile)[^1].Groups[1].Value);
        Assert.Contains("runAsUser: 10001", File.ReadAllText(Path.Combine(RepositoryPaths.Root, "helm", "kpistream", "values.yaml")), StringComparison.Ordinal);
        // The SDK the build stage uses is the one global.json pins.
        Assert.Matches("\"version\": \"10\\.", File.ReadAllText(Path.Combine(RepositoryPaths.Root, "global.json")));
        Assert.Contains("FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build", Dockerfile, StringComparison.Ordinal);
    }

    // COPY lines from the build context (not --from=another stage).
    [GeneratedRegex(@"^COPY (?!--from)(.+)$", RegexOptions.Multiline)]
    private static partial Regex CopyLine();

    [GeneratedRegex(@"^USER (\S+)$", RegexOptions.Multiline)]
    private static partial Regex UserLine();
}
