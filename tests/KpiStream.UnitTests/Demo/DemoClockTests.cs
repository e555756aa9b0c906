using KpiStream.Processor.Demo;

namespace KpiStream.UnitTests.Demo;

public class DemoClockTests
{
    private static readonly DateTimeOffset WallStart = DateTimeOffset.Parse("2026-12-02T10:00:30Z");

    [Fact]
    public void Event_time_starts_a_whole_minute_behind_runs_sped_up_and_then_keeps_to_the_wall_clock()
    {
        var clock = new DemoClock(WallStart, new DemoOptions { SpeedUp = 61, StartBehindNow = TimeSpan.FromHours(1) });

        // 09:00:30 rounded down to the minute: 60.5 minutes behind, caught up after 60.5 min / 60 = 60.5 s.
        Assert.Equal(DateTimeOffset.Parse("2026-12-02T09:00:00Z"), clock.EventStart);
        Assert.Equal(WallStart.AddSeconds(60.5), clock.CatchesUpAt);
        Assert.Equal(DateTimeOffset.Parse("2026-12-02T09:10:10Z"), clock.EventTimeAt(WallStart.AddSeconds(10)));
        Assert.Equal(WallStart.AddSeconds(60.5), clock.EventTimeAt(WallStart.AddSeconds(60.5)));
        Assert.Equal(WallStart.AddHours(5), clock.EventTimeAt(WallStart.AddHours(5)));
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(0.5)]
    [InlineData(1001)]
    public void A_speed_up_outside_1_to_1000_is_refused_naming_the_option(double speedUp)
    {
        var error = Assert.Throws<ArgumentException>(new DemoOptions { SpeedUp = speedUp }.Validate);

        Assert.StartsWith("--demo-speed-up: expected 1 to 1000, got ", error.Message, StringComparison.Ordinal);
    }
}
