using KpiStream.Core.Windows;

namespace KpiStream.Core.Kpis;

/// <summary>Where and when a session entered a journey; its conversion is credited to <see cref="Window"/>.</summary>
/// <remarks>A value, not an object: every open session holds one, inline in its state.</remarks>
public readonly record struct SessionStart(string Journey, Segment Segment, DateTimeOffset StartedAt, TumblingWindow Window, bool Converted)
{
    /// <summary>
    /// A success converts the session when it is the first success, not before the start and within
    /// <paramref name="timeout"/> of it (inclusive).
    /// </summary>
    public bool ConvertsOn(DateTimeOffset successAt, TimeSpan timeout) =>
        !Converted && successAt >= StartedAt && successAt - StartedAt <= timeout;

    /// <summary>After this instant no success can convert the session any more.</summary>
    public DateTimeOffset ConversionDeadline(TimeSpan timeout) => StartedAt + timeout;
}
