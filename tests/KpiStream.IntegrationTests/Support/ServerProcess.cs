using System.Diagnostics;
using System.Net.Http.Headers;
using KpiStream.TestSupport;

namespace KpiStream.IntegrationTests.Support;

/// <summary>
/// A server the project did not write (Prometheus, Alertmanager) running from a temporary directory on a free loopback
/// port until disposed: started, waited for until its <c>/-/ready</c> answers, then killed and its directory deleted.
/// </summary>
public sealed class ServerProcess : IDisposable
{
    private readonly Process _process;
    private readonly string _directory;

    private ServerProcess(Process process, string directory, Uri url)
    {
        _process = process;
        _directory = directory;
        // The test observes the server; whether its certificate is to be trusted is the product's question, not this client's.
        Http = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator }) { BaseAddress = url };
    }

    /// <summary>A client whose base address is the server's.</summary>
    public HttpClient Http { get; }

    /// <param name="args">Its arguments, given the port it is to listen on.</param>
    /// <param name="authorization">What <see cref="Http"/> sends with every request, for a server that requires it.</param>
    /// <param name="https">Whether it serves TLS.</param>
    public static async Task<ServerProcess> StartAsync(string program, string directory, Func<int, IEnumerable<string>> args, AuthenticationHeaderValue? authorization = null, bool https = false)
    {
        var port = Polling.FreePort();
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args(port))
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start)!;
        // Drained, or a chatty server blocks on a full pipe.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new ServerProcess(process, directory, new Uri($"{(https ? "https" : "http")}://127.0.0.1:{port}/"));
        server.Http.DefaultRequestHeaders.Authorization = authorization;
        await Polling.UntilAsync(async () => (await server.Http.GetAsync("-/ready")).IsSuccessStatusCode, TimeSpan.FromSeconds(30));
        return server;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
        Http.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
