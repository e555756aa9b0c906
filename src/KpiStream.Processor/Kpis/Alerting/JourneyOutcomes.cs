using KpiStream.Core.Journeys;
using KpiStream.Core.Slos;
using KpiStream.Processor.Kpis.State;
using KpiStream.Streaming.Stores;

namespace KpiStream.Processor.Kpis.Alerting;

/// <summary>
/// Each journey's attempts, successes and revenue per closed minute, kept in the alerting stage's
/// store for the workbook's history (3 days), from which any alert's customer impact is estimated.
/// </summary>
public sealed class JourneyOutcomes(IKeyValueStore<string, JourneyBusiness> store, JourneyCatalog catalog)
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan Retention = AlertPolicy.Workbook.History.Duration;

    // Per journey: successes of attempts, and revenue of successes, per minute.
    private readonly Dictionary<string, (SliLedger Conversions, SliLedger Revenue)> _ledgers = new(StringComparer.Ordinal);
    private readonly ExpiryIndex<string> _expiry = new();

    public void Restore()
    {
        foreach (var (key, minute) in store.All().OrderBy(e => e.Value.MinuteStartMs))
        {
            Add(minute);
            _expiry.Add(key, DateTimeOffset.FromUnixTimeMilliseconds(minute.MinuteStartMs) + Retention);
        }
    }

    /// <remarks>Idempotent: a minute already held (recorded before a restore) changes nothing.</remarks>
    public void Record(ClosedMinute minute)
    {
        var key = $"{minute.Journey.Name}|{minute.Start.ToUnixTimeMilliseconds()}";
        if (store.TryGet(key, out _))
        {
            return;
        }

        var outcomes = new JourneyBusiness(
            minute.Journey.Name,
            minute.Start.ToUnixTimeMilliseconds(),
            minute.Total.Attempts,
            minute.Total.Successes,
            minute.Total.Revenue.Amounts.Values.Sum());
        if (Add(outcomes))
        {
            store.Put(key, outcomes);
            _expiry.Add(key, minute.Start + Retention);
        }
    }

    /// <param name="at">The end of the minute the alert changed in.</param>
    public CustomerImpact Estimate(JourneySpec journey, ImpactBasis basis, DateTimeOffset at, TimeSpan firingFor)
    {
        var (affected, converted, baselineConversion, orderValue) = basis switch
        {
            MissingSessions missing => (missing.Sessions, 0L, 0.0, 0L),
            OutcomesOverSpan span when _ledgers.TryGetValue(journey.Name, out var ledgers) => Over(ledgers, span, at),
            ShareOfOutcomes part when _ledgers.TryGetValue(journey.Name, out var ledgers) => Scaled(Over(ledgers, part.Journey, at), part.Share),
            _ => (0L, 0L, 0.0, 0L),
        };
        var criticality = basis is ShareOfOutcomes { Criticality: { } own } ? own : journey.Criticality;
        return CustomerImpact.Estimate(affected, converted, baselineConversion, orderValue, criticality, journey.Stage, firingFor, catalog.ImpactWeights);
    }

    private static (long Affected, long Converted, double BaselineConversion, long OrderValue) Scaled((long Affected, long Converted, double BaselineConversion, long OrderValue) outcomes, double share) =>
        ((long)Math.Round(outcomes.Affected * share), (long)Math.Round(outcomes.Converted * share), outcomes.BaselineConversion, outcomes.OrderValue);

    public void Expire(DateTimeOffset closedThrough)
    {
        foreach (var key in _expiry.TakeDue(closedThrough))
        {
            store.Delete(key);
        }
    }

    private static (long Affected, long Converted, double BaselineConversion, long OrderValue) Over((SliLedger Conversions, SliLedger Revenue) ledgers, OutcomesOverSpan span, DateTimeOffset at)
    {
        var during = ledgers.Conversions.Over(span.During, at - Minute);
        var baseline = ledgers.Conversions.Over(TimeSpan.FromHours(1), span.BaselineEnd - Minute);
        var revenue = ledgers.Revenue.Over(TimeSpan.FromHours(1), span.BaselineEnd - Minute);
        return (
            during.Total,
            during.Good,
            baseline.Total == 0 ? 0 : (double)baseline.Good / baseline.Total,
            revenue.Total == 0 ? 0 : revenue.Good / revenue.Total);
    }

    /// <returns>False when the minute is not after the newest held (a replay after a restore).</returns>
    private bool Add(JourneyBusiness minute)
    {
        if (!_ledgers.TryGetValue(minute.Journey, out var ledgers))
        {
            var minutes = AlertPolicy.Workbook.History.Minutes;
            ledgers = (new SliLedger(Minute, minutes), new SliLedger(Minute, minutes));
            _ledgers[minute.Journey] = ledgers;
        }

        var start = DateTimeOffset.FromUnixTimeMilliseconds(minute.MinuteStartMs);
        if (ledgers.Conversions.Newest >= start)
        {
            return false;
        }

        ledgers.Conversions.Add(start, new SliCounts(minute.Successes, minute.Attempts));
        ledgers.Revenue.Add(start, new SliCounts(minute.RevenueMinor, minute.Successes));
        return true;
    }
}
