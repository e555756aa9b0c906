using System.Globalization;
using KpiStream.Core.Incidents;
using KpiStream.Core.Kpis;
using KpiStream.Core.Slos;
using KpiStream.Core.Validation;
using KpiStream.Processor.Configuration;
using KpiStream.Processor.Conventions;
using KpiStream.Processor.Kpis;
using KpiStream.Processor.Kpis.Alerting;
using KpiStream.Streaming.Runtime;
using Prometheus;

namespace KpiStream.Processor.Observability;

/// <summary>
/// The processor's Prometheus metrics. Label values are bounded: topics and journeys come from
/// configuration, reasons from a fixed enum, partitions from the topic layout.
/// </summary>
public sealed class KpiStreamMetrics : IRuntimeObserver, IKpiMetrics
{
    private readonly SloMetrics _slos;
    private readonly JourneyKpiMetrics _journeys;

    private readonly Counter _consumed;
    private readonly Counter _produced;
    private readonly Counter _deadLettered;
    private readonly Histogram _processing;
    private readonly Histogram _commit;
    private readonly Gauge _lag;
    private readonly Gauge _tasks;
    private readonly Counter _windows;
    private readonly Histogram _emitLatency;
    private readonly Gauge _lastEmitted;
    private readonly Counter _late;
    private readonly Counter _duplicates;
    private readonly Counter _latePartials;
    private readonly Counter _unattributed;
    private readonly Counter _commits;
    private readonly Counter _aborts;
    private readonly Counter _rebalances;
    private readonly Counter _consumerErrors;
    private readonly Counter _inputPauses;
    private readonly Counter _inputPausedTime;
    private readonly Counter _dependencyUnavailable;
    private readonly Gauge _partitionsWaiting;
    private readonly Counter _restoredRecords;
    private readonly Counter _restoreTime;
    private readonly Gauge _storeEntries;

    public KpiStreamMetrics(CollectorRegistry registry)
    {
        var factory = Metrics.WithCustomRegistry(registry);
        _slos = new SloMetrics(factory);
        _journeys = new JourneyKpiMetrics(factory);
        _consumed = factory.CreateCounter(MetricNames.RecordsConsumed, "Records read from Kafka and handed to a task, per topic (not those fetched for a task still restoring, which it reads again).", MetricNames.TopicLabel);
        _produced = factory.CreateCounter(MetricNames.RecordsProduced, "Records written in committed transactions, per topic.", MetricNames.TopicLabel);
        _deadLettered = factory.CreateCounter(MetricNames.RecordsDeadLettered, "Records sent to the dead-letter topic, per source topic and reason.", MetricNames.TopicLabel, MetricNames.ReasonLabel);
        _processing = factory.CreateHistogram(MetricNames.ProcessingLatency, "Time to process one record, averaged over its batch.", new HistogramConfiguration
        {
            Buckets = Histogram.ExponentialBuckets(0.000_001, 4, 12),
        });
        _commit = factory.CreateHistogram(MetricNames.CommitLatency, "Time to flush outputs and commit input offsets.", new HistogramConfiguration
        {
            Buckets = Histogram.ExponentialBuckets(0.001, 2, 14),
        });
        _lag = factory.CreateGauge(MetricNames.ConsumerLag, "Records behind the end of each input partition at the last commit.", MetricNames.TopicLabel, MetricNames.PartitionLabel);
        _tasks = factory.CreateGauge(MetricNames.AssignedTasks, "Stream tasks (input partitions) this instance owns.");
        _windows = factory.CreateCounter(MetricNames.WindowsEmitted, "KPI window records written, per journey and window size (1m, 5m, 1h).", MetricNames.JourneyLabel, MetricNames.WindowLabel);
        _emitLatency = factory.CreateHistogram(MetricNames.EmitLatency, "Wall-clock time from ingesting the record that made a window final to emitting the window.", new HistogramConfiguration
        {
            Buckets = Histogram.ExponentialBuckets(0.005, 2, 14),
        });
        _lastEmitted = factory.CreateGauge(MetricNames.LastWindowEmitted, "Unix time at which each journey's latest KPI window was emitted: its age tells a stalled pipeline from a quiet one.", MetricNames.JourneyLabel);
        _late = factory.CreateCounter(MetricNames.LateRecords, "Events that arrived after their window closed and were not counted.", MetricNames.JourneyLabel);
        _duplicates = factory.CreateCounter(MetricNames.DuplicateRecords, "Events dropped because their event id was already counted.", MetricNames.JourneyLabel);
        _commits = factory.CreateCounter(MetricNames.Commits, "Transactions committed (outputs, state changes and input positions together).");
        _aborts = factory.CreateCounter(MetricNames.Aborts, "Transactions aborted, after which tasks were rewound to their checkpoints.", MetricNames.ReasonLabel);
        _rebalances = factory.CreateCounter(MetricNames.Rebalances, "Partition assignments and revocations seen by this instance.");
        _consumerErrors = factory.CreateCounter(MetricNames.ConsumerErrors, "Errors the consumers reported and recovered from by themselves (librdkafka retries), per error code.", MetricNames.ReasonLabel);
        _inputPauses = factory.CreateCounter(MetricNames.InputPauses, "Times a stream thread paused its input because its producer's queue was full (back-pressure).");
        _inputPausedTime = factory.CreateCounter(MetricNames.InputPausedTime, "Time stream threads spent with their input paused by back-pressure.");
        _dependencyUnavailable = factory.CreateCounter(MetricNames.DependencyUnavailable, "Times a record could not be processed yet because something it needs was unavailable (schema-registry: down, 5xx or refusing credentials); it is tried again with backoff, never skipped.", MetricNames.DependencyLabel);
        _partitionsWaiting = factory.CreateGauge(MetricNames.PartitionsWaiting, "Input partitions paused at a record that waits for an unavailable dependency (see /readyz for why).");
        _restoredRecords = factory.CreateCounter(MetricNames.RestoredRecords, "Changelog records replayed into state stores on assignment or recovery.", MetricNames.StoreLabel);
        _restoreTime = factory.CreateCounter(MetricNames.RestoreTime, "Time from the start of a task's restore until this store was rebuilt from its changelog, summed over tasks (a task's stores restore together: do not add up stores).", MetricNames.StoreLabel);
        _storeEntries = factory.CreateGauge(MetricNames.StoreEntries, "Entries in each task's state store, as of its last commit (RocksDB estimate).", MetricNames.StoreLabel, MetricNames.PartitionLabel);
        _unattributed = factory.CreateCounter(MetricNames.UnattributedRequests, "Telemetry of services no journey declares: valid, but counted in no KPI.", MetricNames.ServiceLabel);
        _latePartials = factory.CreateCounter(MetricNames.LatePartials, "Partial counters that reached the window stage after their window was emitted (only after an idle advance).", MetricNames.JourneyLabel);
    }

    public void RecordsConsumed(string topic, int records) => _consumed.WithLabels(topic).Inc(records);

    public void RecordsProduced(string topic, int records) => _produced.WithLabels(topic).Inc(records);

    public void BatchProcessed(int records, TimeSpan elapsed) => _processing.Observe(elapsed.TotalSeconds / records, records);

    public void Committed(TimeSpan elapsed)
    {
        _commits.Inc();
        _commit.Observe(elapsed.TotalSeconds);
    }

    public void Aborted(string reason) => _aborts.WithLabels(reason).Inc();

    public void Rebalanced(int taskChange)
    {
        _rebalances.Inc();
        _tasks.Inc(taskChange);
    }

    public void RestoreProgressed(string store, int partition, long records) => _restoredRecords.WithLabels(store).Inc(records);

    public void Restored(string store, int partition, long records, TimeSpan elapsed) => _restoreTime.WithLabels(store).Inc(elapsed.TotalSeconds);

    public void StoreSize(string store, int partition, long entries) =>
        _storeEntries.WithLabels(store, partition.ToString(CultureInfo.InvariantCulture)).Set(entries);

    public void Lag(string topic, int partition, long lag) => _lag.WithLabels(topic, partition.ToString(CultureInfo.InvariantCulture)).Set(lag);

    public void ConsumerError(string code) => _consumerErrors.WithLabels(code).Inc();

    public void InputPaused(TimeSpan duration)
    {
        _inputPauses.Inc();
        _inputPausedTime.Inc(duration.TotalSeconds);
    }

    public void DependencyUnavailable(string dependency) => _dependencyUnavailable.WithLabels(dependency).Inc();

    public void PartitionsWaiting(int change) => _partitionsWaiting.Inc(change);

    public void DeadLettered(string sourceTopic, DeadLetterReason reason) => _deadLettered.WithLabels(sourceTopic, reason.Code()).Inc();

    public void WindowEmitted(string journey, TimeSpan size, TimeSpan latency, DateTimeOffset emittedAt)
    {
        _windows.WithLabels(journey, DurationText.Format(size)).Inc();
        _emitLatency.Observe(Math.Max(0, latency.TotalSeconds));
        _lastEmitted.WithLabels(journey).Set(emittedAt.ToUnixTimeMilliseconds() / 1000.0);
    }

    public void LateRecord(string journey) => _late.WithLabels(journey).Inc();

    public void DuplicateRecord(string journey) => _duplicates.WithLabels(journey).Inc();

    public void LatePartial(string journey) => _latePartials.WithLabels(journey).Inc();

    /// <remarks>Labelled by service: bounded by the services that send telemetry, which operators control.</remarks>
    public void UnattributedRequest(string service) => _unattributed.WithLabels(service).Inc();

    public void SloStatus(string journey, string segment, string slo, IReadOnlyDictionary<string, double> burnRates, ErrorBudget budget) =>
        _slos.Status(journey, segment, slo, burnRates, budget);

    public void SegmentNotJudged(string journey, string slo) => _slos.SegmentNotJudged(journey, slo);

    public void SegmentBelowTrafficFloor(string journey, string slo) => _slos.SegmentBelowTrafficFloor(journey, slo);

    public void AlertChanged(SloAlert alert) => _slos.AlertChanged(alert);

    public void AlertsHeld(string journey, string name, AlertSeverity severity, int change) => _slos.AlertsHeld(journey, name, severity, change);

    public void IncidentOpened(IncidentReport incident) => _slos.IncidentOpened(incident);

    public void IncidentsHeld(string journey, int change) => _slos.IncidentsHeld(journey, change);

    public void MeanTimeToDetect(string journey, TimeSpan? mean) => _slos.MeanTimeToDetect(journey, mean);

    public void JourneyMinute(string journey, DateTimeOffset start, KpiCounters counters) => _journeys.Minute(journey, start, counters);
}
