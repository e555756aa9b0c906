using KpiStream.Core.Events;
using KpiStream.Core.Journeys;
using KpiStream.Core.Kpis;
using KpiStream.Core.Windows;

namespace KpiStream.TestSupport;

/// <summary>
/// The expected KPI windows of an input, computed as plain set queries over all of it rather than
/// record by record. Assumes every event is valid and on time; duplicates by event id count once.
/// </summary>
public static class KpiOracle
{
    /// <summary>The windows of every given size, keyed by their record key.</summary>
    public static IReadOnlyDictionary<string, KpiWindow> Expect(IEnumerable<DomainEvent> input, JourneyCatalog catalog, params TimeSpan[] windowSizes)
    {
        var events = input.ToList();
        return windowSizes
            .SelectMany(size => ExpectOfSize(events, catalog, size))
            .ToDictionary(kv => kv.Key, kv => kv.Value);
    }

    private static Dictionary<string, KpiWindow> ExpectOfSize(IEnumerable<DomainEvent> input, JourneyCatalog catalog, TimeSpan windowSize)
    {
        var all = input.Select(e => (Event: e, Journey: catalog.Find(e.Journey!)!)).ToList();
        var distinct = all.DistinctBy(x => x.Event.EventId).ToList();
        var located = distinct.Select(x => (x.Event, x.Journey, Role: x.Journey.RoleOf(x.Event.EventType)!.Value, Key: KeyOf(x.Journey, x.Event, windowSize))).ToList();

        var counters = new Dictionary<KpiWindowKey, (Segment Segment, KpiCounters Counters)>();
        void Add(KpiWindowKey key, Segment segment, KpiCounters delta) =>
            counters[key] = (segment, (counters.TryGetValue(key, out var c) ? c.Counters : KpiCounters.Zero).Merge(delta));

        foreach (var x in located)
        {
            var segment = Segment.Of(x.Journey, x.Event);
            Add(x.Key, segment, x.Role switch
            {
                EventRole.Start => KpiCounters.Zero with { Attempts = 1 },
                EventRole.Failure => KpiCounters.Zero with { Failures = 1 },
                _ => KpiCounters.Zero with
                {
                    Successes = 1,
                    Revenue = x.Event is { AmountMinor: { } amount, Currency: { } currency } ? CurrencyAmounts.Of(currency, amount) : CurrencyAmounts.None,
                },
            });
        }

        var sessions = located.GroupBy(x => (x.Journey.Name, x.Event.SessionId));
        foreach (var session in sessions)
        {
            var starts = session.Where(x => x.Role == EventRole.Start).OrderBy(x => x.Event.OccurredAt).ToList();
            if (starts.Count == 0)
            {
                continue;
            }

            var first = starts[0];
            var converted = session.Any(x => x.Role == EventRole.Success
                && x.Event.OccurredAt >= first.Event.OccurredAt
                && x.Event.OccurredAt - first.Event.OccurredAt <= first.Journey.ConversionTimeout);
            Add(first.Key, Segment.Of(first.Journey, first.Event), KpiCounters.Zero with { SessionsStarted = 1, SessionsConverted = converted ? 1 : 0 });
        }

        foreach (var duplicate in all.GroupBy(x => x.Event.EventId).SelectMany(g => g.Skip(1)))
        {
            Add(KeyOf(duplicate.Journey, duplicate.Event, windowSize), Segment.Of(duplicate.Journey, duplicate.Event), KpiCounters.Zero with { DuplicateRecords = 1 });
        }

        return counters.ToDictionary(kv => kv.Key.ToString(), kv => new KpiWindow(kv.Key.Journey, kv.Value.Segment, kv.Key.Window, kv.Value.Counters));
    }

    private static KpiWindowKey KeyOf(JourneySpec journey, DomainEvent e, TimeSpan windowSize) =>
        new(journey.Name, Segment.Of(journey, e).Key, TumblingWindow.Containing(e.OccurredAt, windowSize));
}
