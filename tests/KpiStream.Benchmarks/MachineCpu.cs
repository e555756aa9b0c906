namespace KpiStream.Benchmarks;

/// <summary>The machine's CPU use from the kernel's counters: what a run cost, whichever process spent it.</summary>
internal static class MachineCpu
{
    private const int IdleField = 3;
    private const int IoWaitField = 4;

    /// <summary>CPU time all cores spent on anything but idling since boot (counted in USER_HZ ticks of 10 ms).</summary>
    public static TimeSpan BusyTime()
    {
        var ticks = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(long.Parse).ToArray();
        return TimeSpan.FromMilliseconds((ticks.Sum() - ticks[IdleField] - ticks[IoWaitField]) * 10);
    }
}
