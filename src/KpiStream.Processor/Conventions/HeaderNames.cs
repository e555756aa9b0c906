namespace KpiStream.Processor.Conventions;

/// <summary>Kafka record headers KpiStream adds.</summary>
public static class HeaderNames
{
    public const string DeadLetterReason = "kpistream.dlq.reason";
    public const string DeadLetterDetail = "kpistream.dlq.detail";
    public const string SourceTopic = "kpistream.dlq.source.topic";
    public const string SourcePartition = "kpistream.dlq.source.partition";
    public const string SourceOffset = "kpistream.dlq.source.offset";

    /// <summary>
    /// Says a dead letter's value is <c>truncated</c> (a prefix of the original) or <c>omitted</c>, so it could be written
    /// within the size limit, or <c>dropped</c> because it could not be decoded and the operator keeps no such payloads.
    /// </summary>
    public const string DeadLetterPayload = "kpistream.dlq.payload";

    /// <summary>The personal fields of a dead letter's value replaced by their pseudonyms, comma-separated (e.g. <c>user_id,attributes.email</c>).</summary>
    public const string DeadLetterPseudonymized = "kpistream.dlq.pseudonymized";

    /// <summary>Says a dead letter's key is <c>truncated</c> (a prefix of the original) to fit the size limit.</summary>
    public const string DeadLetterKey = "kpistream.dlq.key";

    /// <summary>Says the original record's own headers were <c>omitted</c> to fit the size limit.</summary>
    public const string DeadLetterHeaders = "kpistream.dlq.headers";

    /// <summary>Sizes in bytes of the original key, value and headers, set when any of them was cut.</summary>
    public const string OriginalKeySize = "kpistream.dlq.original.key.size";
    public const string OriginalValueSize = "kpistream.dlq.original.value.size";
    public const string OriginalHeadersSize = "kpistream.dlq.original.headers.size";

    /// <summary>Marks a stream-time tick on the repartition topic: no payload, its timestamp is the sender's stream time.</summary>
    public const string StreamTimeTick = "kpistream.tick";

    /// <summary>Marks a deployment marker on the repartition topic, sent to every partition so each journey's alerting sees it.</summary>
    public const string Deployment = "kpistream.deploy";
}
