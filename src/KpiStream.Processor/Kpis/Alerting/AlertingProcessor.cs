using KpiStream.Core.Events;
using KpiStream.Core.Incidents;
using KpiStream.Core.Journeys;
using KpiStream.Core.Slos;
using KpiStream.Processor.Kpis;
using KpiStream.Streaming.Processors;
using KpiStream.Streaming.Records;
using KpiStream.Streaming.Stores;

namespace KpiStream.Processor.Kpis.Alerting;

/// <summary>
/// Stage 2's alerting, child of the window processor in each task (which owns whole journeys):
/// records every closed minute with its judges and, at the end of every closed minute of event
/// time, steps each alert's lifecycle with their verdicts and writes a kpi.alerts record for each
/// change, with the journey's customer impact and the deploys shortly before it, and a kpi.incidents
/// record for the change of the journey's incident the alert belongs to. Judging every
/// minute, traffic or not, lets alerts resolve when a journey goes quiet and makes alerts
/// independent of how input was batched: the same records give the same alerts.
/// </summary>
public sealed class AlertingProcessor(JourneyCatalog catalog, IReadOnlyList<IAlertJudge> judges, IKpiMetrics metrics, IKpiBoard board)
    : IProcessor<string?, AlertingInput>, IAlertStates
{

    private readonly Dictionary<string, AlertLifecycle> _lifecycles = new(StringComparer.Ordinal);
    private readonly TimeSpan _catchUp = judges.Max(j => j.CatchUp);
    private IProcessorContext _context = null!;
    private IKeyValueStore<string, AlertLifecycle> _lifecycleStore = null!;
    private EvaluationProgress _progress = null!;
    private RecentDeploys _deploys = null!;
    private JourneyOutcomes _outcomes = null!;
    private JourneyIncidents _incidents = null!;

    public void Init(IProcessorContext context)
    {
        _context = context;
        foreach (var judge in judges)
        {
            judge.Init(context);
        }

        _lifecycleStore = context.GetStateStore<IKeyValueStore<string, AlertLifecycle>>(KpiTopology.AlertLifecyclesStore);
        foreach (var (key, lifecycle) in _lifecycleStore.All())
        {
            _lifecycles[key] = lifecycle;
        }

        HoldFiring(1);

        _outcomes = new JourneyOutcomes(context.GetStateStore<IKeyValueStore<string, JourneyBusiness>>(KpiTopology.AlertOutcomesStore), catalog);
        _outcomes.Restore();
        _deploys = new RecentDeploys(context.GetStateStore<IKeyValueStore<string, DeploymentMarker>>(KpiTopology.AlertDeploysStore), _catchUp);
        _deploys.Restore();
        _incidents = new JourneyIncidents(context.GetStateStore<IKeyValueStore<string, Incident>>(KpiTopology.AlertIncidentsStore));
        _incidents.Restore();
        foreach (var open in _incidents.Open)
        {
            metrics.IncidentsHeld(open.Journey, 1);
        }

        _progress = new EvaluationProgress(context.GetStateStore<IKeyValueStore<string, long>>(KpiTopology.AlertProgressStore));
        _progress.Restore();
    }

    public void Process(Record<string?, AlertingInput> record)
    {
        switch (record.Value)
        {
            case DeployObserved { Deploy: var deploy }:
                _deploys.Observe(deploy);
                break;
            case ClosedMinutes signal when _progress.IsNew(signal):
                Close(signal);
                break;
        }
    }

    /// <summary>The task's open incidents are no longer counted here; the task that takes the journey over counts them.</summary>
    public void Close()
    {
        foreach (var open in _incidents.Open)
        {
            metrics.IncidentsHeld(open.Journey, -1);
        }

        HoldFiring(-1);
    }

    public AlertLifecycle Of(string subject, AlertSeverity severity) => _lifecycles.GetValueOrDefault(KeyOf(subject, severity), AlertLifecycle.Idle);

    private static string KeyOf(string subject, AlertSeverity severity) => $"{subject}|{severity}";

    /// <summary>
    /// Counts the firing alerts of this task in or out of kpistream_alerts_firing, as the task starts with restored
    /// state or closes: the gauge is the sum over the tasks a process holds, whatever moved between processes.
    /// </summary>
    /// <remarks>A lifecycle's key is its subject (name|journey|segment) and severity.</remarks>
    private void HoldFiring(int change)
    {
        foreach (var (key, lifecycle) in _lifecycles.Where(l => l.Value.IsFiring))
        {
            var parts = key.Split('|');
            metrics.AlertsHeld(parts[1], parts[0], Enum.Parse<AlertSeverity>(parts[^1]), change);
        }
    }

    /// <summary>
    /// Walks the minute ends the signal leaves to judge: before judging each, records the minutes
    /// that start before it, so every judgement sees exactly the minutes closed by then (ledgers
    /// only grow forwards, and a window read at a minute must not have lost its oldest steps to later ones).
    /// </summary>
    private void Close(ClosedMinutes signal)
    {
        var minutes = ClosedMinute.Of(signal, catalog);
        var next = 0;
        foreach (var end in signal.MinuteEnds(_progress.Through, _catchUp))
        {
            for (; next < minutes.Count && minutes[next].Start < end; next++)
            {
                _outcomes.Record(minutes[next]);
                metrics.JourneyMinute(minutes[next].Journey.Name, minutes[next].Start, minutes[next].Total);
                foreach (var judge in judges)
                {
                    judge.Record(minutes[next]);
                }
            }

            var latest = end == signal.ClosedThrough;
            foreach (var judge in judges.Where(j => end > signal.ClosedThrough - j.CatchUp))
            {
                foreach (var verdict in judge.Judge(end, latest, this))
                {
                    Step(verdict, end);
                }
            }
        }

        _progress.Judged(signal);
        _outcomes.Expire(signal.ClosedThrough);
        _deploys.Expire(signal.ClosedThrough);
        _incidents.Expire(signal.ClosedThrough);
        foreach (var journey in _incidents.Journeys)
        {
            metrics.MeanTimeToDetect(journey, _incidents.MeanTimeToDetect(journey, signal.ClosedThrough));
        }

        foreach (var judge in judges)
        {
            judge.Expire(signal.ClosedThrough);
        }
    }

    private void Step(AlertVerdict verdict, DateTimeOffset at)
    {
        var key = KeyOf(verdict.Subject, verdict.Severity);
        var current = _lifecycles.GetValueOrDefault(key, AlertLifecycle.Idle);
        var onset = verdict.Trips && !current.IsFiring ? verdict.Onset : null;
        var (next, transition) = current.Step(verdict.Severity, verdict.Trips, at, verdict.ResolveAfter, verdict.Subject, onset);
        if (next != current)
        {
            _lifecycles[key] = next;
            _lifecycleStore.Put(key, next);
        }

        if (transition is null)
        {
            return;
        }

        var journey = verdict.Journey;
        var description = verdict.Describe(transition, at);
        var alertChange = new SloAlert(
            transition.AlertId,
            transition.Status,
            transition.Severity,
            journey.Name,
            description.SegmentKey,
            description.Name,
            description.BurnRates,
            description.TrippedWindows,
            description.BudgetConsumed,
            transition.StartedAt,
            transition.EndedAt,
            journey.Owner,
            description.Runbook,
            _outcomes.Estimate(journey, description.Impact, at, at - transition.StartedAt),
            _deploys.Before(journey, transition.StartedAt),
            description.Summary)
        {
            DetectionDelay = transition is { Status: AlertStatus.Firing, Onset: { } began } ? transition.StartedAt - began : null,
        };
        var incident = _incidents.Apply(alertChange, at);
        var alert = incident is null ? alertChange : alertChange with { IncidentId = incident.IncidentId, Annotation = incident.Annotates(alertChange.AlertId) };
        _context.Forward(new Record<string, SloAlert>(alert.AlertId, alert, at, []), KpiTopology.KpiAlertsSink);
        metrics.AlertChanged(alert);
        board.Update(alert);
        if (incident is not null)
        {
            var report = incident.Report();
            _context.Forward(new Record<string, IncidentReport>(report.IncidentId, report, at, []), KpiTopology.KpiIncidentsSink);
            if (incident.Members.Length == 1 && incident.State == IncidentState.Open)
            {
                metrics.IncidentOpened(report);
                metrics.IncidentsHeld(incident.Journey, 1);
            }
            else if (incident.State == IncidentState.Closed)
            {
                metrics.IncidentsHeld(incident.Journey, -1);
            }

            board.Update(report);
        }
    }
}
