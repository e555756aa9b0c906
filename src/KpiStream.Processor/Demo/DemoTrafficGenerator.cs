using System.Collections.Immutable;
using System.Text;
using KpiStream.Core.Events;
using KpiStream.Processor.Conventions;

namespace KpiStream.Processor.Demo;

/// <summary>
/// Seeded, realistic journey traffic: sessions start across regions, plans and devices, most
/// succeed after a short think time, a few fail and more abandon; each outcome comes with the
/// service request that served it. Healthy failure shares sit well inside the shipped SLOs (at
/// least five times under each budget, so a young history does not ticket on noise); the
/// options' scenario injects one fault at a known onset. Deterministic for a seed and a sequence
/// of clock readings.
/// </summary>
public sealed class DemoTrafficGenerator(DemoOptions options, TopicNames topics)
{
    private static readonly string[] Regions = ["eu-west", "us-east", "ap-south"];
    private static readonly string[] Plans = ["free", "pro", "enterprise"];
    private static readonly string[] Devices = ["web", "ios", "android"];

    private static readonly DemoJourney[] Journeys =
    [
        new("checkout", "checkout_started", "checkout_completed", "checkout_failed", "checkout-api", "POST /orders", Weight: 0.5, SuccessShare: 0.999, AbandonShare: 0.08, MedianLatencyMs: 320),
        new("login", "login_attempted", "login_succeeded", "login_failed", "auth-api", "POST /sessions", Weight: 0.35, SuccessShare: 0.9999, AbandonShare: 0.02, MedianLatencyMs: 90),
        new("signup", "signup_started", "signup_completed", "signup_failed", "accounts-api", "POST /accounts", Weight: 0.15, SuccessShare: 0.998, AbandonShare: 0.2, MedianLatencyMs: 210),
    ];

    private readonly Random _random = new(options.Seed);
    private readonly PriorityQueue<DomainEvent, DateTimeOffset> _pending = new();
    private double _sessionsDue;
    private long _sequence;
    private DateTimeOffset? _start;

    private DemoScenario Scenario => options.Scenario;

    /// <summary>Everything that happened in event time up to <paramref name="until"/>, having last been asked at <paramref name="since"/>.</summary>
    public IReadOnlyList<DemoRecord> Advance(DateTimeOffset since, DateTimeOffset until)
    {
        _start ??= since;
        var records = new List<DemoRecord>();
        if (Scenario.DeployVersion is { } version)
        {
            // The bad version goes out at the onset and is rolled back at the end.
            AddDeploy(records, since, until, Scenario.Onset, version);
            AddDeploy(records, since, until, Scenario.Onset + Scenario.Duration, BaselineVersion);
        }

        _sessionsDue += (until - since).TotalSeconds * options.SessionsPerSecond;
        while (_sessionsDue >= 1)
        {
            _sessionsDue--;
            StartSession(since + ((until - since) * _random.NextDouble()));
        }

        while (_pending.TryPeek(out var next, out var at) && at <= until)
        {
            _pending.Dequeue();
            records.Add(new DemoRecord(topics.DomainEvents, next.SessionId, next));
            if (next.Service is not null)
            {
                records.Add(Telemetry(next));
            }

            if (_random.NextDouble() < options.MalformedShare)
            {
                records.Add(Malformed(next));
            }
        }

        return records;
    }

    private const string BaselineVersion = "v1.0.0";

    private TimeSpan Elapsed(DateTimeOffset at) => at - _start!.Value;

    private void AddDeploy(List<DemoRecord> records, DateTimeOffset since, DateTimeOffset until, TimeSpan offset, string version)
    {
        var at = _start!.Value + offset;
        if (at > since && at <= until)
        {
            var service = Journeys.Single(j => j.Name == Scenario.Journey).Service;
            records.Add(new DemoRecord(topics.Deployments, service, new DeploymentMarker($"deploy-{service}-{version}-{at.ToUnixTimeMilliseconds()}", service, version, at, null, "demo", $"{service} {version}")));
        }
    }

    private void StartSession(DateTimeOffset at)
    {
        var journey = PickJourney();
        if (Scenario.Affects(journey.Name, Elapsed(at)) && _random.NextDouble() >= Scenario.TrafficFactor)
        {
            return;
        }

        var session = $"s-{options.Seed}-{++_sequence}";
        var segment = (Region: Pick(Regions), Plan: Pick(Plans), Device: Pick(Devices));
        var user = $"user-{_random.Next(1, 50_000)}";
        Schedule(Event(journey, journey.Start, session, user, segment, at, amount: null, service: null));
        var abandonShare = Scenario.Affects(journey.Name, Elapsed(at)) && Scenario.AbandonShare is { } giveUp ? giveUp : journey.AbandonShare;
        if (_random.NextDouble() < abandonShare)
        {
            return;
        }

        var outcomeAt = at + TimeSpan.FromSeconds(5 + (_random.NextDouble() * 85));
        var successShare = Scenario.Affects(journey.Name, Elapsed(outcomeAt)) && Scenario.FailureShare is { } failing ? 1 - failing : journey.SuccessShare;
        var succeeded = _random.NextDouble() < successShare;
        var amount = journey.Name == "checkout" && succeeded ? 500 + _random.Next(0, 25_000) : (long?)null;
        Schedule(Event(journey, succeeded ? journey.Success : journey.Failure, session, user, segment, outcomeAt, amount, journey.Service));
    }

    private DomainEvent Event(DemoJourney journey, string type, string session, string user, (string Region, string Plan, string Device) segment, DateTimeOffset at, long? amount, string? service) =>
        new(
            $"evt-{options.Seed}-{++_sequence}",
            type,
            journey.Name,
            session,
            user,
            at,
            segment.Region,
            segment.Plan,
            segment.Device,
            amount,
            amount is null ? null : "EUR",
            $"trace-{_sequence:x}",
            service,
            ImmutableSortedDictionary<string, string>.Empty);

    private DemoRecord Telemetry(DomainEvent outcome)
    {
        var journey = Journeys.Single(j => j.Name == outcome.Journey);
        var failed = outcome.EventType == journey.Failure;
        var faulty = Scenario.Affects(journey.Name, Elapsed(outcome.OccurredAt));
        // Log-normal latencies around the journey's median, with a heavier tail on failures.
        var latency = journey.MedianLatencyMs * Math.Exp(0.5 * NextGaussian()) * (failed ? 3 : 1) * (faulty ? Scenario.LatencyFactor : 1);
        var status = failed && _random.NextDouble() < 0.6 ? 503 : 200;
        return new DemoRecord(topics.ServiceTelemetry, outcome.TraceId, new ServiceTelemetry(
            journey.Service,
            journey.Operation,
            outcome.TraceId,
            outcome.OccurredAt,
            Math.Round(latency, 2),
            status,
            status >= 500 ? RequestOutcome.Error : RequestOutcome.Success,
            faulty && Scenario.DeployVersion is { } version ? version : BaselineVersion,
            outcome.Region,
            null));
    }

    private DemoRecord Malformed(DomainEvent template) =>
        _random.Next(2) == 0
            ? new DemoRecord(topics.DomainEvents, template.SessionId, Encoding.UTF8.GetBytes("{\"not\":\"avro\"}"))
            : new DemoRecord(topics.DomainEvents, template.SessionId, template with { EventId = $"evt-{options.Seed}-{++_sequence}", Journey = null });

    private void Schedule(DomainEvent domainEvent) => _pending.Enqueue(domainEvent, domainEvent.OccurredAt);

    private DemoJourney PickJourney()
    {
        var roll = _random.NextDouble();
        foreach (var journey in Journeys)
        {
            if ((roll -= journey.Weight) < 0)
            {
                return journey;
            }
        }

        return Journeys[^1];
    }

    private string Pick(string[] values) => values[_random.Next(values.Length)];

    private double NextGaussian() =>
        Math.Sqrt(-2 * Math.Log(1 - _random.NextDouble())) * Math.Cos(2 * Math.PI * _random.NextDouble());

    private sealed record DemoJourney(string Name, string Start, string Success, string Failure, string Service, string Operation, double Weight, double SuccessShare, double AbandonShare, double MedianLatencyMs);
}
