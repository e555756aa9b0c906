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
