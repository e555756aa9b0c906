using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace KpiStream.Streaming.Provisioning;

/// <summary>
/// Reads a cluster's metadata at start-up. Waits for the cluster up to <paramref name="reachTimeout"/>,
/// saying once per attempt that it cannot reach it, rather than echoing every failed connection
/// librdkafka retries. A cluster that refuses the client's authentication (SASL or TLS) fails at once:
/// librdkafka would retry, but wrong credentials do not become right.
/// </summary>
public sealed class ClusterMetadataReader(IReadOnlyDictionary<string, string> clientConfig, TimeSpan reachTimeout, ILogger logger)
{
    private static readonly TimeSpan Attempt = TimeSpan.FromSeconds(5);

    // Set from librdkafka's error callback, on its thread.
    private volatile Error? _authenticationFailure;

    public string Servers => clientConfig.GetValueOrDefault("bootstrap.servers", "?");

    public TimeSpan ReachTimeout => reachTimeout;

    /// <summary>An admin client whose authentication failures <see cref="ReadAsync"/> reports.</summary>
    public IAdminClient NewAdminClient() => new AdminClientBuilder(clientConfig)
        .SetLogHandler((_, _) => { })
        .SetErrorHandler((_, error) =>
        {
            if (error.Code is ErrorCode.Local_Authentication or ErrorCode.SaslAuthenticationFailed or ErrorCode.Local_Ssl)
            {
                _authenticationFailure = error;
            }
        })
        .Build();

    /// <summary>
    /// The metadata of every topic. Listing all of them, rather than asking for one, never makes a
    /// broker that creates topics on demand create a topic that was only looked for.
    /// </summary>
    public async Task<Metadata> ReadAsync(IAdminClient admin, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + reachTimeout;
        while (true)
        {
            try
            {
                // GetMetadata blocks; off the caller's thread so a stop is not held up by it.
                return await Task.Run(() => admin.GetMetadata(Attempt), cancellationToken).ConfigureAwait(false);
            }
            catch (KafkaException) when (_authenticationFailure is { } refused)
            {
                throw new ProvisioningException($"Kafka at {Servers} refused the client's authentication: {refused.Reason}; check security.protocol and the sasl.* and ssl.* settings (-X, --kafka-config).");
            }
            catch (KafkaException e) when (DateTime.UtcNow < deadline)
            {
                logger.LogWarning("Kafka at {Servers} is not reachable yet ({Reason}); trying again until {Deadline:HH:mm:ss}", Servers, e.Error.Reason, deadline);
            }
            catch (KafkaException e)
            {
                throw new ProvisioningException($"Kafka at {Servers} could not be reached within {reachTimeout.TotalSeconds:0} s (--startup-timeout): {e.Error.Reason}.", e);
            }
        }
    }
}
