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
/// options' scenario injects one fault at a known onset.
/// </summary>
/// <remarks>
/// The records depend only on the seed and event time, not on how often the caller advances:
/// session starts fall one to a slot of <c>1 / SessionsPerSecond</c>, at a random point of it,
/// and every random choice of a session is drawn when it starts. A demo that is slowed down by
/// a busy processor therefore produces the same input, which keeps scenario detection times
/// comparable run to run.
/// </remarks>
public sealed class DemoTrafficGenerator
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

    private readonly DemoOptions _options;
    private readonly TopicNames _topics;
    private readonly DateTimeOffset _start;
    private readonly Random _random;
    private readonly TimeSpan _slot;

    // Ties in time keep the order in which records were scheduled.
    private readonly PriorityQueue<DemoRecord, (DateTimeOffset At, long Order)> _pending = new();
    private long _slots;
    private long _sequence;
    private long _order;

    /// <param name="start">Event time at which the demo's traffic begins; scenario onsets count from it.</param>
    public DemoTrafficGenerator(DemoOptions options, TopicNames topics, DateTimeOffset start)
    {
        _options = options;
        _topics = topics;
        _start = start;
        _random = new Random(options.Seed);
        _slot = TimeSpan.FromSeconds(1 / options.SessionsPerSecond);
        ScheduleDeploys();
    }

    private DemoScenario Scenario => _options.Scenario;

    /// <summary>
    /// The records of event time up to <paramref name="until"/> not returned before, in event-time
    /// order. Records of a slot whose sessions are not all drawn yet wait for a later call, so that
    /// order holds across calls.
    /// </summary>
    public IReadOnlyList<DemoRecord> Advance(DateTimeOffset until)
    {
        while (SlotStart(_slots + 1) <= until)
        {
            StartSession(SlotStart(_slots + _random.NextDouble()));
            _slots++;
        }

        var drawn = SlotStart(_slots);
        var records = new List<DemoRecord>();
        while (_pending.TryPeek(out var next, out var due) && due.At <= drawn)
        {
            _pending.Dequeue();
            records.Add(next);
        }

        return records;
    }

    private const string BaselineVersion = "v1.0.0";

    private DateTimeOffset SlotStart(double slots) => _start + (_slot * slots);

    private TimeSpan Elapsed(DateTimeOffset at) => at - _start;

    private void ScheduleDeploys()
    {
        if (Scenario.DeployVersion is not { } version)
        {
            return;
        }

        // The bad version goes out at the onset and is rolled back at the end.
        var service = Journeys.Single(j => j.Name == Scenario.Journey).Service;
        foreach (var (offset, deployed) in new[] { (Scenario.Onset, version), (Scenario.Onset + Scenario.Duration, BaselineVersion) })
        {
            var at = _start + offset;
            Schedule(new DemoRecord(_topics.Deployments, service, new DeploymentMarker($"deploy-{service}-{deployed}-{at.ToUnixTimeMilliseconds()}", service, deployed, at, null, "demo", $"{service} {deployed}")), at);
        }
    }

    private void StartSession(DateTimeOffset at)
    {
        var journey = PickJourney();
        if (Scenario.Affects(journey.Name, Elapsed(at)) && _random.NextDouble() >= Scenario.TrafficFactor)
        {
            return;
        }

        var session = $"s-{_options.Seed}-{++_sequence}";
        var segment = (Region: Pick(Regions), Plan: Pick(Plans), Device: Pick(Devices));
        var user = $"user-{_random.Next(1, 50_000)}";
        Schedule(Event(journey, journey.Start, session, user, segment, at, amount: null, service: null), at);
        var abandonShare = Scenario.Affects(journey.Name, Elapsed(at)) && Scenario.AbandonShare is { } giveUp ? giveUp : journey.AbandonShare;
        if (_random.NextDouble() < abandonShare)
        {
            return;
        }

        var outcomeAt = at + TimeSpan.FromSeconds(5 + (_random.NextDouble() * 85));
        var successShare = Scenario.Affects(journey.Name, Elapsed(outcomeAt)) && Scenario.FailureShare is { } failing ? 1 - failing : journey.SuccessShare;
        var succeeded = _random.NextDouble() < successShare;
        var amount = journey.Name == "checkout" && succeeded ? 500 + _random.Next(0, 25_000) : (long?)null;
        var outcome = Event(journey, succeeded ? journey.Success : journey.Failure, session, user, segment, outcomeAt, amount, journey.Service);
        Schedule(outcome, outcomeAt);
        Schedule(Telemetry(outcome), outcomeAt);
    }

    private DomainEvent Event(DemoJourney journey, string type, string session, string user, (string Region, string Plan, string Device) segment, DateTimeOffset at, long? amount, string? service) =>
        new(
            $"evt-{_options.Seed}-{++_sequence}",
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
        return new DemoRecord(_topics.ServiceTelemetry, outcome.TraceId, new ServiceTelemetry(
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
            ? new DemoRecord(_topics.DomainEvents, template.SessionId, Encoding.UTF8.GetBytes("{\"not\":\"avro\"}"))
            : new DemoRecord(_topics.DomainEvents, template.SessionId, template with { EventId = $"evt-{_options.Seed}-{++_sequence}", Journey = null });

    private void Schedule(DomainEvent domainEvent, DateTimeOffset at)
    {
        Schedule(new DemoRecord(_topics.DomainEvents, domainEvent.SessionId, domainEvent), at);
        if (_random.NextDouble() < _options.MalformedShare)
        {
            Schedule(Malformed(domainEvent), at);
        }
    }

    private void Schedule(DemoRecord record, DateTimeOffset at) => _pending.Enqueue(record, (at, _order++));

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
