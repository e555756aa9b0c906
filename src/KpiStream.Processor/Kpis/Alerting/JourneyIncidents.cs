using KpiStream.Core.Incidents;
using KpiStream.Core.Slos;
using KpiStream.Processor.Kpis.State;
using KpiStream.Streaming.Stores;

namespace KpiStream.Processor.Kpis.Alerting;

/// <summary>
/// Each journey's open incident, which every alert change of the journey joins, and the incidents
/// of the last <see cref="Kept"/> (event time) for the mean time to detect; in the alerting stage's
/// store, keyed by incident id.
/// </summary>
public sealed class JourneyIncidents(IKeyValueStore<string, Incident> store)
{
    /// <summary>How long a closed incident counts towards its journey's mean time to detect, from its opening.</summary>
    public static readonly TimeSpan Kept = TimeSpan.FromDays(28);

    private readonly Dictionary<string, Incident> _incidents = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _openByJourney = new(StringComparer.Ordinal);
    private readonly ExpiryIndex<string> _expiry = new();
    private readonly SortedSet<string> _journeys = new(StringComparer.Ordinal);

    public void Restore()
    {
        foreach (var (_, incident) in store.All())
        {
            Hold(incident);
        }
    }

    /// <summary>
    /// The journey's incident with the alert's change in it, opened by the alert if none is open; null
    /// for the resolution of an alert that fired before its journey's incidents were kept.
    /// </summary>
    public Incident? Apply(SloAlert alert, DateTimeOffset at)
    {
        Incident? next = _openByJourney.TryGetValue(alert.Journey, out var openId)
            ? _incidents[openId].With(alert, at)
            : alert.Status == AlertStatus.Firing ? Incident.Open(alert) : null;
        if (next is not null)
        {
            store.Put(next.IncidentId, next);
            Hold(next);
        }

        return next;
    }

    /// <summary>The mean detection delay of the journey's incidents opened in the last <see cref="Kept"/> that have one; null without any.</summary>
    public TimeSpan? MeanTimeToDetect(string journey, DateTimeOffset now)
    {
        var delays = _incidents.Values
            .Where(i => i.Journey == journey && i.OpenedAt > now - Kept)
            .Select(i => i.DetectionDelay)
            .OfType<TimeSpan>()
            .ToList();
        return delays.Count == 0 ? null : TimeSpan.FromTicks((long)delays.Average(d => d.Ticks));
    }

    /// <summary>Each journey's open incident.</summary>
    public IEnumerable<Incident> Open => _openByJourney.Values.Select(id => _incidents[id]);

    /// <summary>The journeys of this stage that have had incidents, for publishing their mean time to detect (also once it has none left).</summary>
    public IEnumerable<string> Journeys => _journeys;

    public void Expire(DateTimeOffset closedThrough)
    {
        foreach (var id in _expiry.TakeDue(closedThrough))
        {
            if (_incidents.Remove(id))
            {
                store.Delete(id);
            }
        }
    }

    private void Hold(Incident incident)
    {
        _incidents[incident.IncidentId] = incident;
        _journeys.Add(incident.Journey);
        if (incident.State == IncidentState.Open)
        {
            _openByJourney[incident.Journey] = incident.IncidentId;
            return;
        }

        if (_openByJourney.GetValueOrDefault(incident.Journey) == incident.IncidentId)
        {
            _openByJourney.Remove(incident.Journey);
        }

        var expiresAt = incident.OpenedAt + Kept;
        _expiry.Add(incident.IncidentId, expiresAt > incident.ClosedAt ? expiresAt : incident.ClosedAt!.Value);
    }
}
