namespace KpiStream.Processor.Kpis;

/// <summary>
/// What a dead letter keeps of a record that cannot be decoded, and so cannot have its personal
/// fields replaced: records that decode are always dead-lettered with those fields pseudonymized.
/// </summary>
public enum DeadLetterPayloads
{
    /// <summary>The record as it came, for replay after a fix; it may hold personal data.</summary>
    Keep,

    /// <summary>Only the headers with the reason and source; the value and the record's own headers are dropped.</summary>
    Drop,
}
