namespace KpiStream.Streaming.Processors;

/// <summary>
/// A processor that buffers output (pre-aggregates) implements this to forward it when the
/// runtime commits: records forwarded here are part of the commit, so what the processor
/// considers sent and what was sent can never disagree after a failure.
/// </summary>
public interface ICommitListener
{
    void BeforeCommit();
}
