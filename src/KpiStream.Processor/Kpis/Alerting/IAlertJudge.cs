using KpiStream.Streaming.Processors;
using KpiStream.Streaming.Stores;

namespace KpiStream.Processor.Kpis.Alerting;

/// <summary>
/// One kind of alert, hosted by the <see cref="AlertingProcessor"/>: it keeps the history its
/// rules read in stores of its own and judges each minute end; the stage owns everything an alert
/// has whatever its kind (lifecycle, deploys, customer impact, emission). A new kind is a class
/// implementing this and a line in <see cref="AlertJudges"/>.
/// </summary>
public interface IAlertJudge
{
    /// <summary>The stores the judge keeps its history in, registered with the stage's processor, in flush order.</summary>
    IReadOnlyList<StoreDefinition> Stores { get; }

    /// <summary>How much of a long watermark jump (an idle advance over a gap) is judged: only the minute ends this close to its end.</summary>
    TimeSpan CatchUp { get; }

    /// <summary>Gets the judge's stores from the task and rebuilds its in-memory history from them.</summary>
    void Init(IProcessorContext context);

    /// <summary>
    /// Records one journey's closed minute. Called in time order, before the first judged minute
    /// end after it, and again for the same minute when a signal is replayed after a restore: the
    /// second time must change nothing.
    /// </summary>
    void Record(ClosedMinute minute);

    /// <summary>
    /// Judges the minute ending at <paramref name="minuteEnd"/>: one verdict per alert the judge
    /// keeps, tripped or not, so a firing one can resolve. The stage steps each verdict as it is
    /// enumerated, so a later verdict reads the lifecycle an earlier one left in <paramref name="alerts"/>.
    /// </summary>
    /// <param name="latest">Whether this is the last minute end of the signal, when status gauges are published.</param>
    IEnumerable<AlertVerdict> Judge(DateTimeOffset minuteEnd, bool latest, IAlertStates alerts);

    /// <summary>Deletes the history no judgement at or after <paramref name="closedThrough"/> reads.</summary>
    void Expire(DateTimeOffset closedThrough);
}
