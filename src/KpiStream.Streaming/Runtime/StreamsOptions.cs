namespace KpiStream.Streaming.Runtime;

/// <summary>Settings of the streaming runtime; <see cref="Validate"/> runs before anything connects.</summary>
public sealed record StreamsOptions
{
    public const int MaxStreamThreads = 64;

    /// <summary>Consumer group id and prefix of internal topics.</summary>
    public required string ApplicationId { get; init; }

    public required string BootstrapServers { get; init; }

    /// <summary>Longest time between commits while records flow; a drained input (a 10 ms poll finds nothing) commits sooner, at most every 100 ms.</summary>
    public TimeSpan CommitInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How long one poll waits for records before wall-clock punctuation runs, when no results wait for a commit.</summary>
    public TimeSpan PollTimeout { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Records taken from the consumer in one go before punctuation and commit checks.</summary>
    public int MaxBatchSize { get; init; } = 1000;

    /// <summary>
    /// How long a partition whose next record waits for an unavailable dependency (<see cref="Processors.DependencyUnavailableException"/>)
    /// stays paused before the record is tried again; doubled after every failed attempt up to <see cref="DependencyRetryMaxDelay"/>.
    /// </summary>
    public TimeSpan DependencyRetryDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan DependencyRetryMaxDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Stream threads in this instance, each a consumer-group member with its own producer and tasks
    /// (Kafka Streams' <c>num.stream.threads</c>). More threads use more cores of one machine for the
    /// same partitions; more instances than partitions leave members idle, and so do more threads.
    /// </summary>
    public int StreamThreads { get; init; } = 1;

    /// <summary>Root of the tasks' RocksDB directories; rebuilt from changelogs on assignment, so it may be ephemeral.</summary>
    public required string StateDirectory { get; init; }

    /// <summary>
    /// Longest time the broker may hold a fetch that finds no new records (librdkafka's
    /// <c>fetch.wait.max.ms</c>); null keeps the client's default of 500 ms. A real broker answers a
    /// waiting fetch as soon as records arrive, so only a broker that does not (the development
    /// broker) needs a shorter one.
    /// </summary>
    public TimeSpan? FetchWaitMax { get; init; }

    /// <summary>
    /// Makes each stream thread a static group member (<c>group.instance.id</c> = this id, '-', the
    /// thread's index), so an instance restarted with the same id within the session timeout gets
    /// its partitions back without a rebalance; null for dynamic membership. Unique per instance
    /// (a pod name, say): two live instances with one id fence each other.
    /// </summary>
    public string? InstanceId { get; init; }

    /// <summary>Further librdkafka settings (SASL, TLS, ...) passed to every client unchanged.</summary>
    public IReadOnlyDictionary<string, string> ClientConfig { get; init; } = new Dictionary<string, string>();

    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(StateDirectory))
        {
            throw new ArgumentException("Streams option StateDirectory: expected a writable directory for the tasks' RocksDB stores.");
        }

        KafkaNames.Require(ApplicationId, "--application-id");

        if (string.IsNullOrWhiteSpace(BootstrapServers))
        {
            throw new ArgumentException("Streams option BootstrapServers: expected host:port[,host:port...].");
        }

        if (CommitInterval < TimeSpan.FromMilliseconds(10) || CommitInterval > TimeSpan.FromMinutes(1))
        {
            throw new ArgumentException($"Streams option CommitInterval: expected 10 ms to 1 min, got {CommitInterval}.");
        }

        if (StreamThreads is < 1 or > MaxStreamThreads)
        {
            throw new ArgumentException($"Streams option StreamThreads: expected 1 to {MaxStreamThreads}, got {StreamThreads}.");
        }

        if (FetchWaitMax is { } wait && (wait < TimeSpan.FromMilliseconds(1) || wait > TimeSpan.FromMinutes(5)))
        {
            throw new ArgumentException($"Streams option FetchWaitMax: expected 1 ms to 5 min, got {wait}.");
        }

        if (InstanceId is not null)
        {
            KafkaNames.Require(InstanceId, "--instance-id");
        }

        if (DependencyRetryDelay <= TimeSpan.Zero || DependencyRetryMaxDelay < DependencyRetryDelay)
        {
            throw new ArgumentException("Streams options DependencyRetryDelay and DependencyRetryMaxDelay: expected a positive delay and a maximum not below it.");
        }

        if (PollTimeout <= TimeSpan.Zero || MaxBatchSize < 1)
        {
            throw new ArgumentException("Streams options PollTimeout and MaxBatchSize: expected positive values.");
        }
    }
}
