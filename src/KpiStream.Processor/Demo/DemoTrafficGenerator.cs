using System.Collections.Immutable;
using System.Text;
using KpiStream.Core.Events;
using KpiStream.Core.Journeys;
using KpiStream.Processor.Conventions;

namespace KpiStream.Processor.Demo;

/// <summary>
/// Seeded, realistic traffic for the journeys of the journeys file (each journey's first start,
/// success and failure event type, and its first service): sessions start across regions, plans
/// and devices, most succeed after a short think time, a few fail and more abandon, as the
/// journey's <see cref="DemoProfile"/> says; each outcome comes with the service request that
/// served it. The options' scenario injects one fault at a known onset.
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
    /// <summary>A region with a small share of every journey's sessions, where a failure is easy to miss journey-wide.</summary>
    public const string SmallRegion = "sa-east";

    public const double SmallRegionShare = 0.02;

    private static readonly string[] Regions = ["eu-west", "us-east", "ap-south"];
    private static readonly string[] Plans = ["free", "pro", "enterprise"];
    private static readonly string[] Devices = ["web", "ios", "android"];

    private readonly DemoJourney[] _journeys;
    private readonly double _totalWeight;
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
    public DemoTrafficGenerator(DemoOptions options, TopicNames topics, JourneyCatalog catalog, DateTimeOffset start)
    {
        _journeys = [.. catalog.Journeys.Select(DemoJourney.Of)];
        _totalWeight = _journeys.Sum(j => j.Profile.Weight);
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
        if (_journeys.SingleOrDefault(j => j.Name == Scenario.Journey)?.Service is not { } service)
        {
            return;
        }

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
        var segment = (Region: _random.NextDouble() < SmallRegionShare ? SmallRegion : Pick(Regions), Plan: Pick(Plans), Device: Pick(Devices));
        var user = $"user-{_random.Next(1, 50_000)}";
        Schedule(Event(journey, journey.Start, session, user, segment, at, amount: null, service: null), at);
        var abandonShare = Scenario.Affects(journey.Name, Elapsed(at)) && Scenario.AbandonShare is { } giveUp ? giveUp : journey.Profile.AbandonShare;
        if (_random.NextDouble() < abandonShare)
        {
            return;
        }

        var outcomeAt = at + TimeSpan.FromSeconds(5 + (_random.NextDouble() * 85));
        var successShare = Scenario.Affects(journey.Name, segment.Region, segment.Plan, Elapsed(outcomeAt)) && Scenario.FailureShare is { } failing ? 1 - failing : journey.Profile.SuccessShare;
        var succeeded = _random.NextDouble() < successShare;
        var amount = journey.Profile.Revenue && succeeded ? 500 + _random.Next(0, 25_000) : (long?)null;
        // A journey without a failure event type ends a failed session unfinished.
        if ((succeeded ? journey.Success : journey.Failure) is not { } type)
        {
            return;
        }

        var outcome = Event(journey, type, session, user, segment, outcomeAt, amount, journey.Service);
        Schedule(outcome, outcomeAt);
        if (journey.Service is { } service)
        {
            Schedule(Telemetry(journey, service, outcome), outcomeAt);
        }
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

    private DemoRecord Telemetry(DemoJourney journey, string service, DomainEvent outcome)
    {
        var failed = outcome.EventType == journey.Failure;
        var faulty = Scenario.Affects(journey.Name, outcome.Region, outcome.PlanTier, Elapsed(outcome.OccurredAt));
        // Log-normal latencies around the journey's median, with a heavier tail on failures.
        var latency = journey.Profile.MedianLatencyMs * Math.Exp(0.5 * NextGaussian()) * (failed ? 3 : 1) * (faulty ? Scenario.LatencyFactor : 1);
        var status = failed && _random.NextDouble() < 0.6 ? 503 : 200;
        return new DemoRecord(_topics.ServiceTelemetry, outcome.TraceId, new ServiceTelemetry(
            service,
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
        var roll = _random.NextDouble() * _totalWeight;
        foreach (var journey in _journeys)
        {
            if ((roll -= journey.Profile.Weight) < 0)
            {
                return journey;
            }
        }

        return _journeys[^1];
    }

    private string Pick(string[] values) => values[_random.Next(values.Length)];

    private double NextGaussian() =>
        Math.Sqrt(-2 * Math.Log(1 - _random.NextDouble())) * Math.Cos(2 * Math.PI * _random.NextDouble());

    /// <param name="Service">The journey's first service, whose requests the demo reports; null for none.</param>
    private sealed record DemoJourney(string Name, string Start, string Success, string? Failure, string? Service, string Operation, DemoProfile Profile)
    {
        public static DemoJourney Of(JourneySpec spec)
        {
            var profile = DemoProfile.For(spec.Name);
            return new(spec.Name, spec.StartEvents[0], spec.SuccessEvents[0], spec.FailureEvents.FirstOrDefault(), spec.Services.FirstOrDefault(), profile.Operation ?? $"POST /{spec.Name}", profile);
        }
    }
}
