using System.Collections.Concurrent;
using System.Diagnostics;

namespace KpiStream.TestSupport;

/// <summary>A `kpistream` command running as a separate OS process, with its output captured line by line.</summary>
public sealed class KpiProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _stdout = new();
    private readonly ConcurrentQueue<string> _stderr = new();

    private KpiProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                _stdout.Enqueue(e.Data);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                _stderr.Enqueue(e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public IReadOnlyList<string> Stdout => _stdout.ToArray();

    public IReadOnlyList<string> Stderr => _stderr.ToArray();

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>The last <paramref name="lines"/> lines of stdout and of stderr, for a failure message to show what the process was doing.</summary>
    public string LastOutput(int lines) =>
        $"--- pid {Id}{(_process.HasExited ? $", exited with {_process.ExitCode}" : "")}, last lines of stdout and stderr:\n{string.Join('\n', Stdout.TakeLast(lines))}\n{string.Join('\n', Stderr.TakeLast(lines))}";

    public static KpiProcess Start(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? RepositoryPaths.Root,
        };
        info.ArgumentList.Add(RepositoryPaths.ProcessorDll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        return new KpiProcess(Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start."));
    }

    /// <summary>Runs a command to completion and returns its exit code.</summary>
    public static async Task<(int ExitCode, KpiProcess Process)> RunAsync(IEnumerable<string> args, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment = null)
    {
        var process = Start(args, environment);
        return (await process.WaitForExitAsync(timeout), process);
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"kpistream did not exit within {timeout}. Output:\n{string.Join('\n', Stdout.TakeLast(30))}\n{string.Join('\n', Stderr.TakeLast(30))}");
        }

        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>Waits for a line on standard output that contains <paramref name="fragment"/>.</summary>
    public async Task<string> WaitForLineAsync(string fragment, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var line = Stdout.FirstOrDefault(l => l.Contains(fragment, StringComparison.Ordinal));
            if (line is not null)
            {
                return line;
            }

            if (_process.HasExited)
            {
                break;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"No line containing '{fragment}' within {timeout}. Output:\n{string.Join('\n', Stdout)}\n{string.Join('\n', Stderr)}");
    }

    public void Signal(int signal) => Process.Start("kill", $"-{signal} {_process.Id}")!.WaitForExit();

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
    }
}
