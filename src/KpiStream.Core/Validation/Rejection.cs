namespace KpiStream.Core.Validation;

/// <summary>A record refused with a reason and a human-readable detail.</summary>
public sealed record Rejection(DeadLetterReason Reason, string Detail);
