using FsCheck.Xunit;
using KpiStream.Core.Events;
using KpiStream.Serialization.Avro;
using KpiStream.Serialization.Mapping;
using KpiStream.TestSupport;

namespace KpiStream.UnitTests.Serialization;

/// <summary>
/// The decoders of every input topic against records built from valid ones by bit flips,
/// truncation, extension, random bytes, and varints claiming huge or negative lengths and union
/// branches: each record decodes or is rejected with a reason, never throws, and allocates in
/// proportion to its own size. A run is 100 seeds of 1,000 records each.
/// </summary>
public class HostileRecordProperties
{
    private const int RecordsPerSeed = 1_000;

    // What decoding a record may allocate: a fixed allowance (readers, the result) and a multiple of its size (strings as UTF-16, collections).
    private const long FixedAllowance = 256 * 1024;
    private const long PerByteAllowance = 32;

    private static readonly DateTimeOffset At = DateTimeOffset.Parse("2026-11-23T12:00:00Z");
    private static readonly Decoder[] Decoders = CreateDecoders();

    [Property(MaxTest = 100)]
    public bool Every_hostile_record_decodes_or_is_rejected_without_throwing_and_allocates_in_proportion_to_its_size(int seed)
    {
        var random = new Random(seed);
        for (var i = 0; i < RecordsPerSeed; i++)
        {
            var decoder = Decoders[random.Next(Decoders.Length)];
            var hostile = HostileRecords.Mutate(decoder.Valid[random.Next(decoder.Valid.Length)], random);
            var before = GC.GetAllocatedBytesForCurrentThread();
            var outcome = decoder.Decode(hostile);
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            if (!outcome)
            {
                throw new InvalidOperationException($"{decoder.Name}: neither a value nor a rejection for {Convert.ToHexString(hostile)}");
            }

            if (allocated > FixedAllowance + (PerByteAllowance * hostile.Length))
            {
                throw new InvalidOperationException($"{decoder.Name}: {allocated} bytes allocated decoding {hostile.Length} bytes: {Convert.ToHexString(hostile)}");
            }
        }

        return true;
    }

    private static Decoder[] CreateDecoders()
    {
        var registry = TestSchemas.NewRegistry();
        var events = new AvroCodec<DomainEvent>(new DomainEventMapper(TestSchemas.Set.DomainEvent), registry, "domain-events");
        var telemetry = new AvroCodec<ServiceTelemetry>(new ServiceTelemetryMapper(TestSchemas.Set.ServiceTelemetry), registry, "service-telemetry");
        var deployments = new AvroCodec<DeploymentMarker>(new DeploymentMarkerMapper(TestSchemas.Set.DeploymentMarker), registry, "deployments");
        return
        [
            new("domain-events", b => events.Decode(b) is { Value: not null } or { Rejection: not null },
            [
                events.Encode(Events.Of("e1", "checkout_started", "checkout", "s1", At)),
                events.Encode(Events.Of("e2", "checkout_completed", "checkout", "s1", At, amount: 1999, currency: "EUR", attributes: System.Collections.Immutable.ImmutableSortedDictionary<string, string>.Empty.Add("experiment", "b").Add("email", "a@example.com"))),
            ]),
            new("service-telemetry", b => telemetry.Decode(b) is { Value: not null } or { Rejection: not null },
            [
                telemetry.Encode(new ServiceTelemetry("checkout-api", "POST /orders", "trace-1", At, 123.5, 200, RequestOutcome.Success, "v1", "eu-west", "checkout")),
                telemetry.Encode(new ServiceTelemetry("auth-api", "POST /sessions", null, At, 9, 503, RequestOutcome.Error, null, "us-east", null)),
            ]),
            new("deployments", b => deployments.Decode(b) is { Value: not null } or { Rejection: not null },
            [
                deployments.Encode(new DeploymentMarker("d-1", "checkout-api", "v42", At, "https://ci.example.com/1", "ci", "a release")),
                deployments.Encode(new DeploymentMarker("d-2", "auth-api", "v7", At, null, "ci", null)),
            ]),
        ];
    }

    private sealed record Decoder(string Name, Func<byte[], bool> Decode, byte[][] Valid);
}
