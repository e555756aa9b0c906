using System.Globalization;

namespace KpiStream.Core.Slos;

/// <summary>A trailing window of whole minutes over which an SLI is judged, named as in alert policies (5m, 1h, 3d).</summary>
public readonly record struct SloWindow
{
    public SloWindow(TimeSpan duration)
    {
        if (duration <= TimeSpan.Zero || duration.Ticks % TimeSpan.TicksPerMinute != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(duration), duration, "An SLO window is a positive whole number of minutes.");
        }

        Duration = duration;
    }

    public TimeSpan Duration { get; }

    public int Minutes => (int)Duration.TotalMinutes;

    public string Name =>
        Minutes % (24 * 60) == 0 ? $"{Minutes / (24 * 60)}d"
        : Minutes % 60 == 0 ? $"{Minutes / 60}h"
        : string.Create(CultureInfo.InvariantCulture, $"{Minutes}m");

    public static SloWindow OfMinutes(int minutes) => new(TimeSpan.FromMinutes(minutes));

    public static SloWindow OfHours(int hours) => new(TimeSpan.FromHours(hours));

    public static SloWindow OfDays(int days) => new(TimeSpan.FromDays(days));

    public override string ToString() => Name;
}
