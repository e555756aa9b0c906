namespace KpiStream.Core.Kpis;

/// <summary>
/// A running sum of <see cref="KpiCounters"/>, added to in place: one per partial being folded
/// into between commits instead of a new counters record per event. Not thread-safe; owned by
/// whoever folds. <see cref="ToCounters"/> reads it back as an immutable record.
/// </summary>
public sealed class KpiCountersSum(KpiCounters start)
{
    private long _attempts = start.Attempts;
    private long _successes = start.Successes;
    private long _failures = start.Failures;
    private long _sessionsStarted = start.SessionsStarted;
    private long _sessionsConverted = start.SessionsConverted;
    private CurrencyAmounts _revenue = start.Revenue;
    private long _lateRecords = start.LateRecords;
    private long _duplicateRecords = start.DuplicateRecords;
    private long _requests = start.Requests;
    private long _requestErrors = start.RequestErrors;
    private LatencyHistogram _latency = start.Latency;

    public KpiCountersSum Add(KpiCounters counters)
    {
        _attempts += counters.Attempts;
        _successes += counters.Successes;
        _failures += counters.Failures;
        _sessionsStarted += counters.SessionsStarted;
        _sessionsConverted += counters.SessionsConverted;
        _revenue = _revenue.Plus(counters.Revenue);
        _lateRecords += counters.LateRecords;
        _duplicateRecords += counters.DuplicateRecords;
        _requests += counters.Requests;
        _requestErrors += counters.RequestErrors;
        _latency = _latency.Merge(counters.Latency);
        return this;
    }

    public KpiCounters ToCounters() => new(
        _attempts,
        _successes,
        _failures,
        _sessionsStarted,
        _sessionsConverted,
        _revenue,
        _lateRecords,
        _duplicateRecords,
        _requests,
        _requestErrors,
        _latency);
}
