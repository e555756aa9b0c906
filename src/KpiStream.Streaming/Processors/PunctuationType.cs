namespace KpiStream.Streaming.Processors;

public enum PunctuationType
{
    /// <summary>Fires as the task's stream time (the highest record timestamp seen) passes each interval.</summary>
    StreamTime,

    /// <summary>Fires as the wall clock passes each interval, with or without traffic.</summary>
    WallClockTime,
}
