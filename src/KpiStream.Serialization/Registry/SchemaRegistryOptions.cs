namespace KpiStream.Serialization.Registry;

/// <summary>Settings of the Confluent Schema Registry REST client.</summary>
public sealed record SchemaRegistryOptions
{
    public required Uri Url { get; init; }

    /// <summary>Time allowed for one HTTP attempt.</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Retries after the first attempt, for transport errors, timeouts and 5xx/429 answers.</summary>
    public int MaxRetries { get; init; } = 3;

    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// Settings of Confluent's client by their Confluent names, with or without the
    /// <c>schema.registry.</c> prefix: <c>basic.auth.credentials.source</c>, <c>basic.auth.user.info</c>,
    /// <c>ssl.ca.location</c>, <c>url</c> with several comma-separated URLs, and the like.
    /// </summary>
    public IReadOnlyDictionary<string, string> Properties { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Whether registering a schema may add it to its subject. Off, as against a production
    /// registry whose subjects are managed elsewhere, a schema is only looked up, and one that is
    /// not there fails naming the subject, its latest version and whether the registry judges the
    /// schema compatible with it.
    /// </summary>
    public bool AutoRegister { get; init; } = true;

    public void Validate()
    {
        if (!Url.IsAbsoluteUri || (Url.Scheme != Uri.UriSchemeHttp && Url.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"--schema-registry-url: expected an absolute http(s) URL, got '{Url}'.");
        }

        if (AttemptTimeout <= TimeSpan.Zero || MaxRetries < 0 || RetryBaseDelay < TimeSpan.Zero)
        {
            throw new ArgumentException("Schema registry: attempt timeout must be positive, retries and delay not negative.");
        }
    }
}
