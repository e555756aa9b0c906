using System.Runtime.CompilerServices;
using KpiStream.Processor.Configuration;
using KpiStream.Processor.Kpis.Alerting;
using KpiStream.TestSupport;

namespace KpiStream.Benchmarks;

/// <summary>
/// Managed memory a judged segment of an SLO holds while the alerting stage keeps it: its subject
/// with the minute ledger of the policy's history and the hour ledger of the SLO period, for each
/// SLO of the shipped journeys, measured as the heap's growth for a thousand of them.
/// </summary>
internal static class SegmentMemory
{
    private const int Segments = 1_000;

    public static IReadOnlyList<(string Slo, string Policy, double BytesPerSegment)> Run()
    {
        var catalog = JourneysFile.Load(Path.Combine(RepositoryPaths.Root, "config", "journeys.yaml"));
        var results = new List<(string, string, double)>();
        foreach (var journey in catalog.Journeys)
        {
            foreach (var slo in journey.Slos)
            {
                var bytes = HeapGrowth(() => Enumerable.Range(0, Segments).Select(i => new SloSubject(journey, slo, $"region=r{i}")).ToArray());
                results.Add(($"{journey.Name}/{slo.Name}", $"{slo.Alerting.Name}: {slo.Alerting.History.Duration.TotalDays:0.#} d of minutes, {slo.Period.TotalDays:0} d of hours", (double)bytes / Segments));
            }
        }

        return results;
    }

    /// <summary>The heap's growth for what <paramref name="make"/> builds, measured while it lives; it dies when this frame returns.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static long HeapGrowth(Func<object> make)
    {
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var made = make();
        var after = GC.GetTotalMemory(forceFullCollection: true);
        GC.KeepAlive(made);
        return after - before;
    }
}
