namespace KpiStream.Core.Windows;

/// <summary>A fixed-size, non-overlapping event-time window [Start, End), aligned to the Unix epoch.</summary>
public readonly record struct TumblingWindow(DateTimeOffset Start, TimeSpan Size)
{
    public DateTimeOffset End => Start + Size;

    /// <summary>The window of <paramref name="size"/> that contains <paramref name="timestamp"/>.</summary>
    public static TumblingWindow Containing(DateTimeOffset timestamp, TimeSpan size)
    {
        if (size <= TimeSpan.Zero || size.Ticks % TimeSpan.TicksPerMillisecond != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, "A window size must be a positive whole number of milliseconds.");
        }

        var ms = timestamp.ToUnixTimeMilliseconds();
        var sizeMs = (long)size.TotalMilliseconds;
        // Floor division so timestamps before the epoch land in the window that contains them.
        var startMs = ms - (((ms % sizeMs) + sizeMs) % sizeMs);
        return new TumblingWindow(DateTimeOffset.FromUnixTimeMilliseconds(startMs), size);
    }

    public bool Contains(DateTimeOffset timestamp) => timestamp >= Start && timestamp < End;

    /// <summary>A window is closed once stream time has passed its end plus the grace period.</summary>
    public bool IsClosedAt(DateTimeOffset streamTime, TimeSpan grace) => streamTime >= End + grace;
}
