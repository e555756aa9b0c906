namespace KpiStream.Processor.Demo;

/// <summary>
/// The demo's event time: it starts behind the wall clock, on a whole minute (so scenario onsets
/// fall on minute boundaries on every run), runs <see cref="DemoOptions.SpeedUp"/> times faster
/// until it has caught up with the wall clock, and from then on keeps to it. Running ahead would
/// put its events beyond the hour ahead of now that the processor accepts.
/// </summary>
public sealed class DemoClock(DateTimeOffset wallStart, DemoOptions options)
{
    public DateTimeOffset EventStart { get; } = WholeMinuteBefore(wallStart - options.StartBehindNow);

    /// <summary>When, in wall-clock time, event time catches up with it; never at a speed-up of 1.</summary>
    public DateTimeOffset? CatchesUpAt => options.SpeedUp > 1 ? wallStart + ((wallStart - EventStart) / (options.SpeedUp - 1)) : null;

    public DateTimeOffset EventTimeAt(DateTimeOffset wallNow)
    {
        var spedUp = EventStart + ((wallNow - wallStart) * options.SpeedUp);
        return spedUp < wallNow ? spedUp : wallNow;
    }

    private static DateTimeOffset WholeMinuteBefore(DateTimeOffset at) => at - TimeSpan.FromTicks(at.UtcTicks % TimeSpan.TicksPerMinute);
}
