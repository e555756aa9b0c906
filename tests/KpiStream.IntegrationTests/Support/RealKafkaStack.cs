using System.Net;
using System.Text;
using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Containers;
using DotNet.Testcontainers.Networks;
using Testcontainers.Kafka;

namespace KpiStream.IntegrationTests.Support;

/// <summary>
/// A real Apache Kafka broker and a real Confluent Schema Registry that requires HTTP basic
/// authentication, for the tests a real broker allows: where <c>KAFKA_BOOTSTRAP_SERVERS</c> names a
/// cluster (and <c>SCHEMA_REGISTRY_URL</c>, with <c>SCHEMA_REGISTRY_USER_INFO</c>, a registry), those;
/// else, where a Docker engine answers, containers started by Testcontainers; else nothing, and
/// <see cref="Unavailable"/> says why.
/// </summary>
public sealed class RealKafkaStack : IAsyncLifetime
{
    public const string UserInfo = "kpistream:real-registry-Pa55";
    private const string BootstrapVariable = "KAFKA_BOOTSTRAP_SERVERS";
    private const string RegistryVariable = "SCHEMA_REGISTRY_URL";
    private const string RegistryUserInfoVariable = "SCHEMA_REGISTRY_USER_INFO";
    private const string KafkaImage = "confluentinc/cp-kafka:7.5.12";
    private const string RegistryImage = "confluentinc/cp-schema-registry:7.5.12";
    private const string InternalListener = "kafka:19092";
    private const ushort RegistryPort = 8081;

    private INetwork? _network;
    private KafkaContainer? _kafka;
    private IContainer? _registry;

    /// <summary>Why no real broker is there; null when there is one.</summary>
    public string? Unavailable { get; private set; }

    public string Bootstrap { get; private set; } = "";

    /// <summary>The real registry, or null where only a cluster was named.</summary>
    public Uri? RegistryUrl { get; private set; }

    /// <summary>Credentials the registry requires, as <c>user:password</c>.</summary>
    public string RegistryUserInfo { get; private set; } = UserInfo;

    public async Task InitializeAsync()
    {
        if (Environment.GetEnvironmentVariable(BootstrapVariable) is { Length: > 0 } bootstrap)
        {
            Bootstrap = bootstrap;
            RegistryUrl = Environment.GetEnvironmentVariable(RegistryVariable) is { Length: > 0 } url ? new Uri(url) : null;
            RegistryUserInfo = Environment.GetEnvironmentVariable(RegistryUserInfoVariable) ?? "";
            return;
        }

        try
        {
            _network = new NetworkBuilder().Build();
            _kafka = new KafkaBuilder(KafkaImage).WithNetwork(_network).WithListener(InternalListener).Build();
            _registry = new ContainerBuilder(RegistryImage)
                .WithNetwork(_network)
                .WithNetworkAliases("schema-registry")
                .WithPortBinding(RegistryPort, true)
                .WithEnvironment("SCHEMA_REGISTRY_HOST_NAME", "schema-registry")
                .WithEnvironment("SCHEMA_REGISTRY_LISTENERS", $"http://0.0.0.0:{RegistryPort}")
                .WithEnvironment("SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS", $"PLAINTEXT://{InternalListener}")
                // Basic authentication through Jetty's JAAS property-file login module, as Confluent documents it.
                .WithEnvironment("SCHEMA_REGISTRY_AUTHENTICATION_METHOD", "BASIC")
                .WithEnvironment("SCHEMA_REGISTRY_AUTHENTICATION_REALM", "SchemaRegistry")
                .WithEnvironment("SCHEMA_REGISTRY_AUTHENTICATION_ROLES", "developer")
                .WithEnvironment("SCHEMA_REGISTRY_OPTS", "-Djava.security.auth.login.config=/etc/schema-registry/kpistream-jaas.conf")
                .WithResourceMapping(Encoding.UTF8.GetBytes("SchemaRegistry {\n  org.eclipse.jetty.jaas.spi.PropertyFileLoginModule required\n  file=\"/etc/schema-registry/kpistream-passwords\"\n  debug=\"false\";\n};\n"), "/etc/schema-registry/kpistream-jaas.conf")
                .WithResourceMapping(Encoding.UTF8.GetBytes($"{UserInfo.Split(':')[0]}: {UserInfo.Split(':')[1]},developer\n"), "/etc/schema-registry/kpistream-passwords")
                .WithWaitStrategy(Wait.ForUnixContainer().UntilHttpRequestIsSucceeded(r => r.ForPort(RegistryPort).ForPath("/subjects").ForStatusCode(HttpStatusCode.Unauthorized)))
                .Build();
            await _kafka.StartAsync();
            await _registry.StartAsync();
            Bootstrap = _kafka.GetBootstrapAddress();
            RegistryUrl = new Uri($"http://{_registry.Hostname}:{_registry.GetMappedPublicPort(RegistryPort)}/");
        }
        catch (DockerUnavailableException e)
        {
            Unavailable = $"Neither {BootstrapVariable} is set nor a Docker engine answers for Testcontainers ({e.Message.Split('\n')[0]}); on the development broker, which shows aborted transactions, 'no duplicate at all' cannot be observed.";
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var container in new IAsyncDisposable?[] { _registry, _kafka, _network })
        {
            if (container is not null)
            {
                await container.DisposeAsync();
            }
        }
    }
}
