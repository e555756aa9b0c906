using KpiStream.Core.Events;

namespace KpiStream.TestSupport;

/// <summary>Seeded checkout and login sessions over the sample journeys, sorted by event time.</summary>
public static class SyntheticTraffic
{
    private static readonly string[] Regions = ["eu-west", "us-east", "ap-south"];
    private static readonly string[] Devices = ["web", "ios"];

    /// <param name="spread">Sessions start uniformly within this span after <paramref name="start"/>.</param>
    public static IReadOnlyList<DomainEvent> Generate(int seed, int sessions, DateTimeOffset start, TimeSpan spread)
    {
        var random = new Random(seed);
        var events = new List<DomainEvent>();
        for (var s = 0; s < sessions; s++)
        {
            var checkout = random.Next(3) > 0;
            var (journey, begin, succeed, fail) = checkout
                ? ("checkout", "checkout_started", "checkout_completed", "checkout_failed")
                : ("login", "login_attempted", "login_succeeded", "login_failed");
            var session = $"s{seed}-{s}";
            var region = Regions[random.Next(Regions.Length)];
            var device = Devices[random.Next(Devices.Length)];
            var at = start + TimeSpan.FromMilliseconds(random.NextInt64((long)spread.TotalMilliseconds));
            DomainEvent Next(string type, DateTimeOffset when, long? amount = null) =>
                Events.Of($"{session}-{events.Count}", type, journey, session, when, region, device, amount: amount, currency: amount is null ? null : (random.Next(4) == 0 ? "USD" : "EUR"), user: $"user-{random.Next(100)}");

            events.Add(Next(begin, at));
            if (random.Next(10) == 0)
            {
                events.Add(Next(begin, at + TimeSpan.FromSeconds(random.Next(1, 30))));
            }

            var outcome = random.Next(10);
            var outcomeAt = at + TimeSpan.FromSeconds(random.Next(1, 150));
            if (outcome < 7)
            {
                events.Add(Next(succeed, outcomeAt, checkout ? random.Next(100, 50_000) : null));
            }
            else if (outcome < 9)
            {
                events.Add(Next(fail, outcomeAt));
            }
        }

        return events.OrderBy(e => e.OccurredAt).ThenBy(e => e.EventId, StringComparer.Ordinal).ToList();
    }
}
