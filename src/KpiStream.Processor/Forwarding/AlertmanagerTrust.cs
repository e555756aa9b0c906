using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace KpiStream.Processor.Forwarding;

/// <summary>
/// The certificate authorities an <c>https://</c> Alertmanager's certificate must chain to, for one signed by a private CA
/// (a cluster's own, a company's): they replace the system's for these connections. The host name is checked as always.
/// </summary>
public sealed class AlertmanagerTrust
{
    public const string CaLocationKey = "ssl.ca.location";

    private readonly X509Certificate2Collection _authorities;

    private AlertmanagerTrust(X509Certificate2Collection authorities) => _authorities = authorities;

    /// <summary>The authorities of the PEM file the settings name; null when they name none. Read at start-up, so a bad file fails it.</summary>
    /// <param name="source">Where the settings come from, for messages.</param>
    public static AlertmanagerTrust? From(IReadOnlyDictionary<string, string> settings, string source)
    {
        if (!settings.TryGetValue(CaLocationKey, out var path))
        {
            return null;
        }

        var authorities = new X509Certificate2Collection();
        try
        {
            authorities.ImportFromPemFile(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new ArgumentException($"{source}: {CaLocationKey}: expected a PEM file of CA certificates, could not read '{path}': {e.Message}", e);
        }

        return authorities.Count > 0
            ? new AlertmanagerTrust(authorities)
            : throw new ArgumentException($"{source}: {CaLocationKey}: expected a PEM file of CA certificates, '{path}' holds none.");
    }

    /// <summary>A handler whose TLS connections accept a server certificate only if it chains to these authorities and names the host.</summary>
    public SocketsHttpHandler CreateHandler() => new() { SslOptions = { RemoteCertificateValidationCallback = Validate } };

    private bool Validate(object sender, X509Certificate? certificate, X509Chain? presented, SslPolicyErrors errors)
    {
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch) || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(_authorities);
        // A private CA seldom publishes revocation lists the forwarder could reach.
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (presented is not null)
        {
            // Intermediates the server sent along.
            chain.ChainPolicy.ExtraStore.AddRange(new X509Certificate2Collection(presented.ChainElements.Select(e => e.Certificate).ToArray()));
        }

        using var leaf = new X509Certificate2(certificate);
        return chain.Build(leaf);
    }

    public override string ToString() => $"{_authorities.Count} certificate authorities";
}
