using System.Collections.Immutable;
using KpiStream.Core.Events;
using KpiStream.Core.Journeys;
using KpiStream.Processor.Kpis.State;
using KpiStream.Streaming.Stores;

namespace KpiStream.Processor.Kpis.Alerting;

/// <summary>
/// The deployment markers the alerting stage has seen, in its own store, for naming the
/// deploys of a journey's services in the hour before an alert started.
/// </summary>
public sealed class RecentDeploys(IKeyValueStore<string, DeploymentMarker> store, TimeSpan keepAfterLookback)
{
    /// <summary>How far before an alert's start a deploy counts as a suspect.</summary>
    public static readonly TimeSpan Lookback = TimeSpan.FromHours(1);

    private readonly Dictionary<string, DeploymentMarker> _deploys = new(StringComparer.Ordinal);
    private readonly ExpiryIndex<string> _expiry = new();

    public void Restore()
    {
        foreach (var (_, deploy) in store.All())
        {
            Hold(deploy);
        }
    }

    /// <remarks>Idempotent: a deploy already held changes nothing.</remarks>
    public void Observe(DeploymentMarker deploy)
    {
        if (Hold(deploy))
        {
            store.Put(deploy.DeployId, deploy);
        }
    }

    /// <summary>Deploys of the journey's services in the lookback before <paramref name="startedAt"/>, oldest first.</summary>
    public ImmutableArray<string> Before(JourneySpec journey, DateTimeOffset startedAt) =>
        [.. _deploys.Values
            .Where(d => journey.Services.Contains(d.Service) && d.DeployedAt <= startedAt && d.DeployedAt > startedAt - Lookback)
            .OrderBy(d => d.DeployedAt).ThenBy(d => d.DeployId, StringComparer.Ordinal)
            .Select(d => d.DeployId)];

    /// <summary>Forgets the deploys no alert judged at or after <paramref name="streamTime"/> can name.</summary>
    public void Expire(DateTimeOffset streamTime)
    {
        foreach (var id in _expiry.TakeDue(streamTime))
        {
            _deploys.Remove(id);
            store.Delete(id);
        }
    }

    private bool Hold(DeploymentMarker deploy)
    {
        if (!_deploys.TryAdd(deploy.DeployId, deploy))
        {
            return false;
        }

        _expiry.Add(deploy.DeployId, deploy.DeployedAt + Lookback + keepAfterLookback);
        return true;
    }
}
