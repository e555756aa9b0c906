using System.Text;
using Confluent.Kafka;
using KpiStream.Core.Kpis;
using KpiStream.Serialization.Avro;
using KpiStream.Serialization.Mapping;
using KpiStream.Serialization.Registry;

namespace KpiStream.TestSupport;

/// <summary>Compares kpi.windowed, read as a table, with expected windows.</summary>
public static class KpiTableComparison
{
    /// <summary>Records whose key names this segment come from closer events that only move stream time.</summary>
    public const string CloserSegment = "region=closer";

    /// <summary>The output records that are KPI windows of the input, without the closers' windows.</summary>
    public static IReadOnlyList<ConsumeResult<byte[]?, byte[]?>> InputWindows(IEnumerable<ConsumeResult<byte[]?, byte[]?>> output) =>
        output.Where(r => !Encoding.UTF8.GetString(r.Message.Key!).Contains(CloserSegment, StringComparison.Ordinal)).ToList();

    /// <summary>How many distinct windows of the input the output holds.</summary>
    public static int DistinctInputWindows(IEnumerable<ConsumeResult<byte[]?, byte[]?>> output) =>
        InputWindows(output).Select(r => Encoding.UTF8.GetString(r.Message.Key!)).Distinct().Count();

    /// <returns>Human-readable differences; empty when the output is exactly <paramref name="expected"/> and every identity was always written with the same bytes.</returns>
    /// <param name="registry">Where the records' schema ids resolve; the embedded registry's ids by default.</param>
    public static IReadOnlyList<string> Differences(IReadOnlyDictionary<string, KpiWindow> expected, IEnumerable<ConsumeResult<byte[]?, byte[]?>> output, ConfluentSchemaRegistryClient? registry = null)
    {
        var records = InputWindows(output)
            .Select(r => (Key: Encoding.UTF8.GetString(r.Message.Key!), Value: r.Message.Value!))
            .ToList();
        var problems = new List<string>();
        foreach (var identity in records.GroupBy(r => r.Key).Where(g => g.Select(r => Convert.ToBase64String(r.Value)).Distinct().Count() > 1))
        {
            problems.Add($"{identity.Key} was written with different values");
        }

        var codec = new AvroCodec<KpiWindow>(new KpiWindowMapper(TestSchemas.Set.KpiWindow), registry ?? TestSchemas.NewRegistry(), "kpi.windowed");
        var table = records.GroupBy(r => r.Key).ToDictionary(g => g.Key, g => codec.Decode(g.Last().Value).Value!);
        problems.AddRange(expected.Keys.Except(table.Keys).Select(k => $"{k} is missing"));
        problems.AddRange(table.Keys.Except(expected.Keys).Select(k => $"{k} is not expected"));
        problems.AddRange(expected
            .Where(kv => table.TryGetValue(kv.Key, out var actual) && actual != kv.Value)
            .Select(kv => $"{kv.Key}: expected {kv.Value.Counters}, got {table[kv.Key].Counters}"));
        return problems;
    }
}
