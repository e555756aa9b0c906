using KpiStream.Core.Validation;
using KpiStream.Processor.Configuration;

namespace KpiStream.Processor.Kpis;

/// <summary>Windowing settings of the KPI topology, validated at start-up.</summary>
public sealed record KpiOptions
{
    public TimeSpan WindowSize { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Longer windows emitted too, each summed from the minute windows it contains.</summary>
    public IReadOnlyList<TimeSpan> RollupWindows { get; init; } = [TimeSpan.FromMinutes(5), TimeSpan.FromHours(1)];

    /// <summary>How long after its end (in stream time) a window still accepts records.</summary>
    public TimeSpan Grace { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long (in event time) an event id is remembered to drop duplicates.</summary>
    public TimeSpan DeduplicationHorizon { get; init; } = TimeSpan.FromHours(1);

    /// <summary>How often an idle funnel task checks whether to let stream time follow the wall clock.</summary>
    public TimeSpan TickInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// After this much wall-clock time without input, a funnel task lets stream time follow the
    /// wall clock (lagging by this much), so the last windows close when traffic stops.
    /// </summary>
    public TimeSpan IdleAdvanceAfter { get; init; } = TimeSpan.FromSeconds(30);

    public EventTimeBounds EventTimeBounds { get; init; } = EventTimeBounds.Default;

    public int MaxPayloadBytes { get; init; } = 1024 * 1024;

    /// <summary>
    /// Events one session is followed for (its deduplication record keeps each id, about 26 bytes);
    /// later events of the session are dead-lettered as invalid-value. A customer's journey has a
    /// handful; thousands are a bot or a bug, and would grow one state entry without bound.
    /// </summary>
    public int MaxEventsPerSession { get; init; } = 1000;

    /// <summary>
    /// The largest dead letter the producer may write: its <c>message.max.bytes</c> (librdkafka's
    /// default 1,000,000), or the dead-letter topic's <c>max.message.bytes</c> where that is lower.
    /// A rejected record too large for it is written cut to fit (<see cref="DeadLetters"/>).
    /// </summary>
    public int MaxDeadLetterBytes { get; init; } = KafkaSizeLimits.DefaultMessageMaxBytes;

    public DeadLetterPayloads UndecodablePayloads { get; init; } = DeadLetterPayloads.Keep;

    public void Validate()
    {
        Require(WindowSize >= TimeSpan.FromSeconds(1) && WindowSize.Ticks % TimeSpan.TicksPerSecond == 0, "window size", "a whole number of seconds, at least 1s", WindowSize);
        foreach (var rollup in RollupWindows)
        {
            Require(rollup > WindowSize && rollup.Ticks % WindowSize.Ticks == 0 && rollup <= TimeSpan.FromDays(1), "--rollup-windows", $"multiples of the {DurationText.Format(WindowSize)} window size, longer than it and at most 1d", rollup);
        }

        Require(RollupWindows.Distinct().Count() == RollupWindows.Count, "--rollup-windows", "no size listed twice", string.Join(",", RollupWindows.Select(DurationText.Format)));
        Require(Grace >= TimeSpan.Zero && Grace <= TimeSpan.FromHours(1), "--grace", "0s to 1h", Grace);
        Require(DeduplicationHorizon >= WindowSize, "deduplication horizon", "at least the window size", DeduplicationHorizon);
        Require(TickInterval > TimeSpan.Zero, "tick interval", "a positive duration", TickInterval);
        Require(IdleAdvanceAfter > TimeSpan.Zero, "--idle-advance-after", "a positive duration", IdleAdvanceAfter);
        Require(MaxEventsPerSession is >= 2 and <= 10_000, "events per session", "2 to 10000", MaxEventsPerSession);
        Require(MaxPayloadBytes is >= 1024 and <= 16 * 1024 * 1024, "max payload", "1 KiB to 16 MiB", MaxPayloadBytes);
        Require(MaxDeadLetterBytes >= KafkaSizeLimits.MinMessageMaxBytes, "max dead-letter size", $"at least {KafkaSizeLimits.MinMessageMaxBytes} bytes", MaxDeadLetterBytes);
    }

    /// <param name="setting">The command-line option where there is one, otherwise a description prefixed "KPI option".</param>
    private static void Require(bool condition, string setting, string expected, object actual)
    {
        if (!condition)
        {
            var name = setting.StartsWith("--", StringComparison.Ordinal) ? setting : $"KPI option {setting}";
            throw new ArgumentException($"{name}: expected {expected}, got {(actual is TimeSpan duration ? DurationText.Format(duration) : actual)}.");
        }
    }
}
