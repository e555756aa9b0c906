namespace KpiStream.Core.Validation;

/// <summary>Why a record was sent to the dead-letter topic; <see cref="DeadLetterReasons.Code"/> is what the header carries.</summary>
public enum DeadLetterReason
{
    /// <summary>Not in the Confluent wire format (no magic byte 0 or shorter than its header).</summary>
    NotWireFormat,

    /// <summary>The schema id is unknown to the registry.</summary>
    UnknownSchema,

    /// <summary>The schema is known but is not the one this topic carries.</summary>
    WrongSchema,

    /// <summary>The Avro payload does not decode with its writer schema.</summary>
    UndecodableAvro,

    /// <summary>The value is larger than the configured maximum.</summary>
    PayloadTooLarge,

    /// <summary>The record has no value at all.</summary>
    EmptyValue,

    /// <summary>A required field (event id, session id) is empty.</summary>
    MissingField,

    MissingJourney,
    UnknownJourney,
    UnknownEventType,

    /// <summary>Event time is implausibly far in the past or future of wall-clock time.</summary>
    TimestampOutOfRange,

    /// <summary>A free-form segment attribute that a journey groups by is missing.</summary>
    MissingSegmentAttribute,

    /// <summary>A field holds a value that cannot be true, such as a negative request duration.</summary>
    InvalidValue,
}

public static class DeadLetterReasons
{
    public static string Code(this DeadLetterReason reason) => reason switch
    {
        DeadLetterReason.NotWireFormat => "not-wire-format",
        DeadLetterReason.UnknownSchema => "unknown-schema",
        DeadLetterReason.WrongSchema => "wrong-schema",
        DeadLetterReason.UndecodableAvro => "undecodable-avro",
        DeadLetterReason.PayloadTooLarge => "payload-too-large",
        DeadLetterReason.EmptyValue => "empty-value",
        DeadLetterReason.MissingField => "missing-field",
        DeadLetterReason.MissingJourney => "missing-journey",
        DeadLetterReason.UnknownJourney => "unknown-journey",
        DeadLetterReason.UnknownEventType => "unknown-event-type",
        DeadLetterReason.TimestampOutOfRange => "timestamp-out-of-range",
        DeadLetterReason.MissingSegmentAttribute => "missing-segment-attribute",
        DeadLetterReason.InvalidValue => "invalid-value",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, null),
    };
}
