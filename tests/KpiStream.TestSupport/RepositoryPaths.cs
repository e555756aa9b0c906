using System.Reflection;

namespace KpiStream.TestSupport;

/// <summary>Paths into the repository and the build outputs the tests run.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string Configuration { get; } =
        typeof(RepositoryPaths).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    /// <summary>The built `kpistream` executable (a framework-dependent dll, run with `dotnet`).</summary>
    public static string ProcessorDll { get; } = Path.Combine(Root, "src", "KpiStream.Processor", "bin", Configuration, "net10.0", "kpistream.dll");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "KpiStream.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No KpiStream.sln above {AppContext.BaseDirectory}.");
    }
}
