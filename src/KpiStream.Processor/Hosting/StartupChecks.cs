using System.Net;
using System.Net.Sockets;

namespace KpiStream.Processor.Hosting;

/// <summary>
/// What `run` checks on the machine before it creates or starts anything, so a mistake there is
/// one line at once rather than a failure after the cluster, the topics and the group exist.
/// </summary>
internal static class StartupChecks
{
    private const string ProbeFile = ".kpistream-write-probe";

    /// <summary>The state directory exists or can be made, and a file can be written in it.</summary>
    public static void EnsureStateDirectoryWritable(string directory)
    {
        try
        {
            if (File.Exists(directory))
            {
                throw new IOException("it is a file");
            }

            Directory.CreateDirectory(directory);
            var probe = Path.Combine(directory, ProbeFile);
            File.WriteAllText(probe, "");
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"--state-dir: expected a directory KpiStream can write to, got '{directory}' ({e.Message}).", e);
        }
    }

    /// <summary>The metrics port can be listened on at <paramref name="address"/> (null: every address); 0 always can, the system picks one.</summary>
    public static void EnsurePortFree(IPAddress? address, int port)
    {
        try
        {
            // Kestrel listens on every address, IPv6 with IPv4 mapped where it can, unless given one: probe the same.
            var any = address is null && Socket.OSSupportsIPv6;
            using var listener = new TcpListener(address ?? (any ? IPAddress.IPv6Any : IPAddress.Any), port);
            if (any)
            {
                listener.Server.DualMode = true;
            }

            listener.Start();
        }
        catch (SocketException e) when (address is not null && e.SocketErrorCode == SocketError.AddressNotAvailable)
        {
            throw new StartupException($"--metrics-address: {address} is not an address of this machine ({e.Message}).", e);
        }
        catch (SocketException e)
        {
            throw new StartupException($"--metrics-port: cannot listen on port {port} ({e.Message}); choose another, or 0 for any free port.", e);
        }
    }
}
