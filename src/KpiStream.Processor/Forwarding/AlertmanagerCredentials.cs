using System.Net.Http.Headers;
using System.Text;

namespace KpiStream.Processor.Forwarding;

/// <summary>
/// How the forwarder authenticates to Alertmanager (behind a proxy, or with its own web config): HTTP basic auth or a
/// bearer token, from a settings file such as a mounted secret. It never shows the secret, not even in <see cref="ToString"/>.
/// </summary>
public sealed class AlertmanagerCredentials
{
    public const string BasicAuthKey = "basic.auth.user.info";
    public const string BearerTokenKey = "bearer.auth.token";

    private readonly string _scheme;
    private readonly string _parameter;

    private AlertmanagerCredentials(string scheme, string parameter) => (_scheme, _parameter) = (scheme, parameter);

    /// <summary>The credentials the settings hold; null for none.</summary>
    /// <param name="source">Where the settings come from, for messages.</param>
    public static AlertmanagerCredentials? From(IReadOnlyDictionary<string, string> settings, string source)
    {
        var expected = $"{BasicAuthKey}=USER:PASSWORD or {BearerTokenKey}=TOKEN";
        if (settings.Keys.FirstOrDefault(k => k is not (BasicAuthKey or BearerTokenKey or AlertmanagerTrust.CaLocationKey)) is { } unknown)
        {
            throw new ArgumentException($"{source}: {unknown} is not an Alertmanager client setting; expected {expected}, or {AlertmanagerTrust.CaLocationKey}=PEM FILE.");
        }

        return (settings.GetValueOrDefault(BasicAuthKey), settings.GetValueOrDefault(BearerTokenKey)) switch
        {
            (null, null) => null,
            ({ }, { }) => throw new ArgumentException($"{source}: both {BasicAuthKey} and {BearerTokenKey} are set; expected {expected}."),
            ({ } userInfo, null) when userInfo.IndexOf(':', StringComparison.Ordinal) > 0 =>
                new AlertmanagerCredentials("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(userInfo))),
            ({ }, null) => throw new ArgumentException($"{source}: {BasicAuthKey}: expected USER:PASSWORD."),
            (null, { } token) when token.Length > 0 => new AlertmanagerCredentials("Bearer", token),
            _ => throw new ArgumentException($"{source}: {BearerTokenKey}: expected a token, got an empty value."),
        };
    }

    public AuthenticationHeaderValue Header => new(_scheme, _parameter);

    public override string ToString() => $"{_scheme} credentials";
}
