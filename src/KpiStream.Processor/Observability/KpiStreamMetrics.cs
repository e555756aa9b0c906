using System.Globalization;
using KpiStream.Core.Validation;
using KpiStream.Processor.Conventions;
using KpiStream.Streaming.Runtime;
using Prometheus;

namespace KpiStream.Processor.Observability;

/// <summary>
/// The processor's Prometheus metrics. Label values are bounded: topics and journeys come from
/// configuration, reasons from a fixed enum, partitions from the topic layout.
/// </summary>
public sealed class KpiStreamMetrics : IRuntimeObserver
{
    private readonly Counter _consumed;
    private readonly Counter _produced;
    private readonly Counter _deadLettered;
    private readonly Histogram _processing;
    private readonly Histogram _commit;
    private readonly Gauge _lag;
    private readonly Gauge _tasks;
    private readonly Counter _windows;
    private readonly Counter _late;
    private readonly Counter _duplicates;
    private readonly Counter _latePartials;

    public KpiStreamMetrics(CollectorRegistry registry)
    {
        var factory = Metrics.WithCustomRegistry(registry);
        _consumed = factory.CreateCounter(MetricNames.RecordsConsumed, "Records read from Kafka, per topic.", MetricNames.TopicLabel);
        _produced = factory.CreateCounter(MetricNames.RecordsProduced, "Records acknowledged by Kafka, per topic.", MetricNames.TopicLabel);
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
        _windows = factory.CreateCounter(MetricNames.WindowsEmitted, "KPI window records written, first emissions and updates.", MetricNames.JourneyLabel);
        _late = factory.CreateCounter(MetricNames.LateRecords, "Events that arrived after their window closed and were not counted.", MetricNames.JourneyLabel);
        _duplicates = factory.CreateCounter(MetricNames.DuplicateRecords, "Events dropped because their event id was already counted.", MetricNames.JourneyLabel);
        _latePartials = factory.CreateCounter(MetricNames.LatePartials, "Partial counters that reached the window stage after their window was emitted (only after an idle advance).", MetricNames.JourneyLabel);
    }

    public void RecordConsumed(string topic) => _consumed.WithLabels(topic).Inc();

    public void RecordProduced(string topic) => _produced.WithLabels(topic).Inc();

    public void BatchProcessed(int records, TimeSpan elapsed) => _processing.Observe(elapsed.TotalSeconds / records, records);

    public void Committed(TimeSpan elapsed) => _commit.Observe(elapsed.TotalSeconds);

    public void Lag(string topic, int partition, long lag) => _lag.WithLabels(topic, partition.ToString(CultureInfo.InvariantCulture)).Set(lag);

    public void TasksChanged(int assignedTasks) => _tasks.Set(assignedTasks);

    public void DeadLettered(string sourceTopic, DeadLetterReason reason) => _deadLettered.WithLabels(sourceTopic, reason.Code()).Inc();

    public void WindowEmitted(string journey) => _windows.WithLabels(journey).Inc();

    public void LateRecord(string journey) => _late.WithLabels(journey).Inc();

    public void DuplicateRecord(string journey) => _duplicates.WithLabels(journey).Inc();

    public void LatePartial(string journey) => _latePartials.WithLabels(journey).Inc();
}
