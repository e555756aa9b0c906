using FsCheck;
using FsCheck.Xunit;
using KpiStream.Core.Windows;

namespace KpiStream.UnitTests.Core;

public class TumblingWindowProperties
{
    // About ±300 years around the epoch, well inside DateTimeOffset's range.
    private const long MaxAbsMillis = 10_000_000_000_000;

    [Property]
    public bool The_window_of_a_timestamp_contains_it_and_is_aligned_to_its_size(long millis, PositiveInt sizeSeconds)
    {
        var at = DateTimeOffset.FromUnixTimeMilliseconds(millis % MaxAbsMillis);
        var size = TimeSpan.FromSeconds(sizeSeconds.Get % 86_400 + 1);
        var window = TumblingWindow.Containing(at, size);
        return window.Contains(at)
            && window.Size == size
            && window.Start.ToUnixTimeMilliseconds() % (long)size.TotalMilliseconds == 0
            && window.End - window.Start == size;
    }

    [Property]
    public bool Timestamps_in_one_window_share_it_and_the_next_instant_after_it_does_not(long millis, PositiveInt sizeSeconds, NonNegativeInt offset)
    {
        var size = TimeSpan.FromSeconds(sizeSeconds.Get % 3_600 + 1);
        var window = TumblingWindow.Containing(DateTimeOffset.FromUnixTimeMilliseconds(millis % MaxAbsMillis), size);
        var inside = window.Start + TimeSpan.FromMilliseconds(offset.Get % (long)size.TotalMilliseconds);
        return TumblingWindow.Containing(inside, size) == window
            && TumblingWindow.Containing(window.End, size).Start == window.End;
    }

    [Fact]
    public void A_window_closes_exactly_when_stream_time_reaches_end_plus_grace()
    {
        var window = TumblingWindow.Containing(DateTimeOffset.Parse("2026-11-23T10:00:30Z"), TimeSpan.FromMinutes(1));
        Assert.Equal(DateTimeOffset.Parse("2026-11-23T10:00:00Z"), window.Start);
        Assert.False(window.IsClosedAt(DateTimeOffset.Parse("2026-11-23T10:01:09.999Z"), TimeSpan.FromSeconds(10)));
        Assert.True(window.IsClosedAt(DateTimeOffset.Parse("2026-11-23T10:01:10Z"), TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void Timestamps_before_the_epoch_floor_to_the_window_that_contains_them()
    {
        var window = TumblingWindow.Containing(DateTimeOffset.FromUnixTimeMilliseconds(-1), TimeSpan.FromMinutes(1));
        Assert.Equal(-60_000, window.Start.ToUnixTimeMilliseconds());
    }

    [Fact]
    public void Sizes_that_are_not_whole_milliseconds_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TumblingWindow.Containing(DateTimeOffset.UnixEpoch, TimeSpan.Zero));
        Assert.Throws<ArgumentOutOfRangeException>(() => TumblingWindow.Containing(DateTimeOffset.UnixEpoch, TimeSpan.FromTicks(15)));
    }
}
