using System.Globalization;
using System.Text.RegularExpressions;

namespace KpiStream.Streaming.Runtime;

/// <summary>
/// Where one running instance keeps its tasks' stores: <c>state-dir/application-id/pid-guid</c>,
/// marked as KpiStream's own by a file inside it. Instances on one host keep state under their
/// process id, and a killed one cannot clean up after itself, so start-up removes the directories
/// of dead instances; only directories it can recognise as made this way, never anything else.
/// </summary>
internal static partial class InstanceStateDirectory
{
    public const string MarkerFile = ".kpistream-instance";

    /// <summary>The application's directory under <paramref name="stateDirectory"/>; throws if the id would lead anywhere else.</summary>
    public static string ApplicationDirectory(string stateDirectory, string applicationId)
    {
        var root = Path.GetFullPath(stateDirectory);
        var directory = Path.GetFullPath(Path.Combine(root, applicationId));
        if (Path.GetDirectoryName(directory) != root.TrimEnd(Path.DirectorySeparatorChar) || Path.GetFileName(directory) != applicationId)
        {
            throw new ArgumentException($"--application-id: '{applicationId}' would place state outside {root}; expected {KafkaNames.Rule}.");
        }

        return directory;
    }

    /// <summary>Creates this instance's directory with its marker and returns its path.</summary>
    public static string Create(string applicationDirectory)
    {
        var directory = Path.Combine(applicationDirectory, $"{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, MarkerFile), Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        return directory;
    }

    public static void RemoveThoseOfDeadInstances(string applicationDirectory)
    {
        if (!Directory.Exists(applicationDirectory))
        {
            return;
        }

        foreach (var directory in Directory.EnumerateDirectories(applicationDirectory))
        {
            var name = InstanceName().Match(Path.GetFileName(directory));
            if (!name.Success || !File.Exists(Path.Combine(directory, MarkerFile)) || (new FileInfo(directory).Attributes & FileAttributes.ReparsePoint) != 0)
            {
                continue;
            }

            var pid = int.Parse(name.Groups[1].Value, CultureInfo.InvariantCulture);
            if (pid != Environment.ProcessId && !Directory.Exists($"/proc/{pid}"))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }

    [GeneratedRegex("^([0-9]{1,10})-[0-9a-f]{32}$")]
    private static partial Regex InstanceName();
}
