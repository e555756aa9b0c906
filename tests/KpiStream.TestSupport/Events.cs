using System.Collections.Immutable;
using KpiStream.Core.Events;

namespace KpiStream.TestSupport;

/// <summary>Builds domain events with defaults, so each test states only what matters to it.</summary>
public static class Events
{
    public static DomainEvent Of(
        string id,
        string type,
        string? journey,
        string session,
        DateTimeOffset at,
        string region = "eu-west",
        string device = "web",
        string plan = "pro",
        long? amount = null,
        string? currency = null,
        string? user = "user-1",
        ImmutableSortedDictionary<string, string>? attributes = null) =>
        new(id, type, journey, session, user, at, region, plan, device, amount, currency, $"trace-{id}", "checkout-api",
            attributes ?? ImmutableSortedDictionary<string, string>.Empty);
}
