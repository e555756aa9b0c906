namespace KpiStream.Streaming.Processors;

/// <summary>State owned by one task; the runtime opens and closes it with the task.</summary>
public interface IStateStore
{
    string Name { get; }

    void Close();
}
