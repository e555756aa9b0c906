using KpiStream.Core.Slos;

namespace KpiStream.Processor.Forwarding;

/// <summary>
/// What the forwarder owes each Alertmanager, rebuilt from kpi.alerts on every start: the alerts
/// firing now (sent at every interval) and, per Alertmanager, the resolutions it has not yet
/// accepted (sent until it does, at most <see cref="AlertmanagerOptions.MaxPendingResolutions"/>
/// of them, the oldest dropped first). Thread-safe: the consumer observes, the sender reads.
/// </summary>
public sealed class ForwardedAlerts(IReadOnlyList<Uri> alertmanagers, int maxPendingResolutions)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, SloAlert> _firing = new(StringComparer.Ordinal);
    private readonly Dictionary<Uri, List<SloAlert>> _pending = alertmanagers.ToDictionary(u => u, _ => new List<SloAlert>());

    public int Firing
    {
        get
        {
            lock (_lock)
            {
                return _firing.Count;
            }
        }
    }

    public int Pending
    {
        get
        {
            lock (_lock)
            {
                return _pending.Values.Max(p => p.Count);
            }
        }
    }

    /// <summary>Takes the latest record of an alert; a resolution is owed to every Alertmanager if <paramref name="deliver"/> says so.</summary>
    /// <returns>How many pending resolutions had to be dropped to stay within the bound.</returns>
    public int Observe(SloAlert alert, bool deliver)
    {
        lock (_lock)
        {
            if (alert.Status == AlertStatus.Firing)
            {
                _firing[alert.AlertId] = alert;
                return 0;
            }

            _firing.Remove(alert.AlertId);
            if (!deliver)
            {
                return 0;
            }

            var dropped = 0;
            foreach (var pending in _pending.Values)
            {
                pending.Add(alert);
                if (pending.Count > maxPendingResolutions)
                {
                    pending.RemoveAt(0);
                    dropped = 1;
                }
            }

            return dropped;
        }
    }

    /// <summary>What to send to one Alertmanager now: every firing alert and the resolutions it has not accepted.</summary>
    public IReadOnlyList<SloAlert> Owed(Uri alertmanager)
    {
        lock (_lock)
        {
            return [.. _firing.Values, .. _pending[alertmanager]];
        }
    }

    /// <summary>The Alertmanager accepted <paramref name="sent"/>: its resolutions are no longer owed to it.</summary>
    public void Delivered(Uri alertmanager, IReadOnlyList<SloAlert> sent)
    {
        lock (_lock)
        {
            var delivered = sent.Where(a => a.Status == AlertStatus.Resolved).Select(a => a.AlertId).ToHashSet(StringComparer.Ordinal);
            _pending[alertmanager].RemoveAll(a => delivered.Contains(a.AlertId));
        }
    }
}
