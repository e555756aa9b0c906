namespace KpiStream.Benchmarks;

/// <summary>The machine's CPU use from the kernel's counters: what a run cost, whichever process spent it.</summary>
internal static class MachineCpu
{
    // Of the "cpu" line of /proc/stat: user, nice, system, idle, iowait, irq, softirq. Steal (time the
    // hypervisor gave elsewhere) is nobody's work here, and guest time is already counted in user.
    private static readonly int[] BusyFields = [0, 1, 2, 5, 6];

    /// <summary>CPU time all cores spent on this machine's work since boot (counted in USER_HZ ticks of 10 ms).</summary>
    public static TimeSpan BusyTime()
    {
        var ticks = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(long.Parse).ToArray();
        return TimeSpan.FromMilliseconds(BusyFields.Sum(field => ticks[field]) * 10);
    }
}
