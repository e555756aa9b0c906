using System.Diagnostics;

namespace KpiStream.TestSupport;

/// <summary>kcat, a Kafka client that shares no code with KpiStream (`make test` installs it), run as a process.</summary>
public static class Kcat
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    /// <summary>Produces one record of exactly <paramref name="value"/> (kcat reads a whole file as one message), up to 3,000,000 bytes.</summary>
    public static async Task ProduceAsync(string bootstrap, string topic, int partition, string key, byte[] value)
    {
        var file = Path.Combine(Path.GetTempPath(), $"kpistream-record-{Guid.NewGuid():N}.bin");
        await File.WriteAllBytesAsync(file, value);
        try
        {
            await RunAsync(bootstrap, "-P", "-t", topic, "-p", partition.ToString(System.Globalization.CultureInfo.InvariantCulture), "-k", key, "-X", "message.max.bytes=3000000", file);
        }
        finally
        {
            File.Delete(file);
        }
    }

    public static async Task<string> RunAsync(string bootstrap, params string[] args) =>
        System.Text.Encoding.UTF8.GetString(await RunBytesAsync(bootstrap, null, args));

    /// <summary>Runs kcat against <paramref name="bootstrap"/>, feeding it <paramref name="input"/> when given, and returns its standard output; throws unless it exits 0.</summary>
    public static async Task<byte[]> RunBytesAsync(string bootstrap, byte[]? input, params string[] args)
    {
        var info = new ProcessStartInfo("kcat") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = input is not null };
        info.ArgumentList.Add("-b");
        info.ArgumentList.Add(bootstrap);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var kcat = Process.Start(info) ?? throw new InvalidOperationException("kcat did not start; `make test` installs it.");
        using var output = new MemoryStream();
        var copy = kcat.StandardOutput.BaseStream.CopyToAsync(output);
        var errors = kcat.StandardError.ReadToEndAsync();
        if (input is not null)
        {
            await kcat.StandardInput.BaseStream.WriteAsync(input);
            kcat.StandardInput.Close();
        }

        await kcat.WaitForExitAsync().WaitAsync(Timeout);
        await copy;
        if (kcat.ExitCode != 0)
        {
            throw new InvalidOperationException($"kcat {string.Join(' ', args)} exited {kcat.ExitCode}: {await errors}");
        }

        return output.ToArray();
    }
}
