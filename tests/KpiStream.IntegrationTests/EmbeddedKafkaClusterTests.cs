using Confluent.Kafka;
using KpiStream.EmbeddedKafka;
using KpiStream.TestSupport;

namespace KpiStream.IntegrationTests;

/// <summary>The embedded cluster serves real clients over TCP, and its fault hooks really fault.</summary>
public sealed class EmbeddedKafkaClusterTests : IDisposable
{
    private const int MessageTooLarge = 10;
    private readonly EmbeddedKafkaCluster _cluster = EmbeddedKafkaCluster.Start();

    public EmbeddedKafkaClusterTests() => _cluster.CreateTopic("faults", 1);

    public void Dispose() => _cluster.Dispose();

    [Fact]
    public void Records_produced_over_tcp_are_read_back_in_order()
    {
        using var producer = NewProducer();
        for (var i = 0; i < 5; i++)
        {
            producer.Produce("faults", new Message<Null, string> { Value = $"v{i}" });
        }

        producer.Flush(TimeSpan.FromSeconds(10));

        Assert.Equal(["v0", "v1", "v2", "v3", "v4"], TopicReader.ReadAll(_cluster.BootstrapServers, "faults").Select(r => System.Text.Encoding.UTF8.GetString(r.Message.Value!)));
    }

    [Fact]
    public async Task Injected_request_errors_fail_exactly_the_requests_they_were_pushed_for()
    {
        using var producer = NewProducer();
        _cluster.PushRequestErrors(KafkaApiKey.Produce, MessageTooLarge);

        var failure = await Assert.ThrowsAsync<ProduceException<Null, string>>(() => producer.ProduceAsync("faults", new Message<Null, string> { Value = "refused" }));
        Assert.Equal(ErrorCode.MsgSizeTooLarge, failure.Error.Code);

        var delivered = await producer.ProduceAsync("faults", new Message<Null, string> { Value = "accepted" });
        Assert.Equal(PersistenceStatus.Persisted, delivered.Status);
    }

    [Fact]
    public async Task Cleared_request_errors_are_not_injected()
    {
        using var producer = NewProducer();
        _cluster.PushRequestErrors(KafkaApiKey.Produce, MessageTooLarge, MessageTooLarge);
        _cluster.ClearRequestErrors(KafkaApiKey.Produce);

        var delivered = await producer.ProduceAsync("faults", new Message<Null, string> { Value = "accepted" });

        Assert.Equal(0, delivered.Offset.Value);
    }

    [Fact]
    public async Task A_broker_set_down_serves_nothing_until_it_is_set_up_again()
    {
        using var producer = NewProducer();
        await producer.ProduceAsync("faults", new Message<Null, string> { Value = "before" });
        _cluster.SetBrokerDown(1);

        var refused = await Assert.ThrowsAsync<ProduceException<Null, string>>(() => producer.ProduceAsync("faults", new Message<Null, string> { Value = "while down" }));
        // The broker closes its connections on its own thread: a request sent just before that fails in transport, later ones time out.
        Assert.Contains(refused.Error.Code, new[] { ErrorCode.Local_MsgTimedOut, ErrorCode.Local_Transport });

        _cluster.SetBrokerUp(1);
        var delivered = await producer.ProduceAsync("faults", new Message<Null, string> { Value = "after" });
        Assert.Equal(PersistenceStatus.Persisted, delivered.Status);
    }

    private IProducer<Null, string> NewProducer() =>
        new ProducerBuilder<Null, string>(new ProducerConfig
        {
            BootstrapServers = _cluster.BootstrapServers,
            MessageSendMaxRetries = 0,
            MessageTimeoutMs = 3000,
        }).Build();
}
