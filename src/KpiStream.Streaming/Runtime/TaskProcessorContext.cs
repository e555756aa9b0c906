using KpiStream.Streaming.Processors;
using KpiStream.Streaming.Records;
using KpiStream.Streaming.Stores;
using KpiStream.Streaming.Topologies;

namespace KpiStream.Streaming.Runtime;

/// <summary>The context of one task; each processor node gets a view of it that knows the node's children and stores.</summary>
internal sealed class TaskProcessorContext : ITaskHost
{
    private readonly StreamTask _task;

    public TaskProcessorContext(StreamTask task, IRecordOutput output)
    {
        _task = task;
        Output = output;
    }

    public IRecordOutput Output { get; }

    public IProcessorContext ForNode(string nodeName) => new NodeContext(_task, nodeName);

    private sealed class NodeContext(StreamTask task, string nodeName) : IProcessorContext
    {
        public TaskId TaskId => task.Id;

        public RecordMetadata? RecordMetadata => task.CurrentMetadata;

        public DateTimeOffset StreamTime => task.StreamTime;

        public DateTimeOffset WallClockTime => task.Clock.GetUtcNow();

        public void Forward<TKey, TValue>(Record<TKey, TValue> record, string? childName = null) =>
            task.Forward(nodeName, record, childName);

        public IDisposable Schedule(TimeSpan interval, PunctuationType type, Action<DateTimeOffset> punctuator)
        {
            if (interval <= TimeSpan.Zero)
            {
                throw new ArgumentOutOfRangeException(nameof(interval), interval, "A punctuation interval must be positive.");
            }

            DateTimeOffset? now = type == PunctuationType.WallClockTime ? WallClockTime
                : StreamTime == DateTimeOffset.MinValue ? null
                : StreamTime;
            return task.AddPunctuation(new Punctuation(nodeName, interval, type, punctuator, now));
        }

        public TStore GetStateStore<TStore>(string name)
            where TStore : IStateStore => task.GetStore<TStore>(nodeName, name);
    }
}
