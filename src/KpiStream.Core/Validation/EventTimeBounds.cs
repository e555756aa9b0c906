namespace KpiStream.Core.Validation;

/// <summary>How far event time may lie from wall-clock time before a record is considered absurd.</summary>
public sealed record EventTimeBounds(TimeSpan MaxAge, TimeSpan MaxAhead)
{
    public static readonly EventTimeBounds Default = new(TimeSpan.FromDays(7), TimeSpan.FromHours(1));

    public bool Admits(DateTimeOffset eventTime, DateTimeOffset now) =>
        eventTime >= now - MaxAge && eventTime <= now + MaxAhead;
}
