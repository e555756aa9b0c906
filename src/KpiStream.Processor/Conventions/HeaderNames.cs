namespace KpiStream.Processor.Conventions;

/// <summary>Kafka record headers KpiStream adds.</summary>
public static class HeaderNames
{
    public const string DeadLetterReason = "kpistream.dlq.reason";
    public const string DeadLetterDetail = "kpistream.dlq.detail";
    public const string SourceTopic = "kpistream.dlq.source.topic";
    public const string SourcePartition = "kpistream.dlq.source.partition";
    public const string SourceOffset = "kpistream.dlq.source.offset";

    /// <summary>Marks a stream-time tick on the repartition topic: no payload, its timestamp is the sender's stream time.</summary>
    public const string StreamTimeTick = "kpistream.tick";

    /// <summary>Marks a deployment marker on the repartition topic, sent to every partition so each journey's evaluator sees it.</summary>
    public const string Deployment = "kpistream.deploy";
}
