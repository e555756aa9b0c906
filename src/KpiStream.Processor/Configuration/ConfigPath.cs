namespace KpiStream.Processor.Configuration;

/// <summary>Finds a relative configuration path in the working directory first, then beside the executable (where the defaults ship).</summary>
public static class ConfigPath
{
    public static string Resolve(string path)
    {
        if (File.Exists(path) || Path.IsPathRooted(path))
        {
            return path;
        }

        var shipped = Path.Combine(AppContext.BaseDirectory, path);
        return File.Exists(shipped) ? shipped : path;
    }
}
