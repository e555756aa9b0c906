using System.Collections.Immutable;
using KpiStream.Core.Kpis;
using KpiStream.Core.Windows;

namespace KpiStream.Processor.Kpis.Partials;

/// <summary>
/// What stage 1 sends stage 2: the cumulative counters of one journey, segment and minute from one
/// input partition, as of an input offset. Its identity is (source partition, journey, segment,
/// minute); a later snapshot replaces an earlier one, an equal one changes nothing.
/// </summary>
public sealed record PartialSnapshot(
    int SourcePartition,
    string Journey,
    ImmutableSortedDictionary<string, string> Segment,
    long WindowStartMs,
    long WindowSizeMs,
    long AsOfOffset,
    long Attempts,
    long Successes,
    long Failures,
    long SessionsStarted,
    long SessionsConverted,
    ImmutableSortedDictionary<string, long> RevenueMinor,
    long LateRecords,
    long DuplicateRecords,
    long Requests,
    long RequestErrors,
    ImmutableSortedDictionary<long, long> LatencyBuckets)
{
    public static PartialSnapshot Of(int sourcePartition, PartialState state)
    {
        var c = state.Counters;
        return new(sourcePartition, state.Journey, state.Segment.Attributes, state.Window.Start.ToUnixTimeMilliseconds(), (long)state.Window.Size.TotalMilliseconds,
            state.AppliedOffset, c.Attempts, c.Successes, c.Failures, c.SessionsStarted, c.SessionsConverted, c.Revenue.Amounts, c.LateRecords, c.DuplicateRecords,
            c.Requests, c.RequestErrors, c.Latency.Buckets);
    }

    public TumblingWindow Window => new(DateTimeOffset.FromUnixTimeMilliseconds(WindowStartMs), TimeSpan.FromMilliseconds(WindowSizeMs));

    public KpiCounters Counters => new(Attempts, Successes, Failures, SessionsStarted, SessionsConverted, CurrencyAmounts.From(RevenueMinor), LateRecords, DuplicateRecords,
        Requests, RequestErrors, new LatencyHistogram(LatencyBuckets));
}
