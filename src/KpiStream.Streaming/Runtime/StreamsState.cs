namespace KpiStream.Streaming.Runtime;

public enum StreamsState
{
    Created,

    /// <summary>Connected, waiting for its first partition assignment.</summary>
    Starting,

    /// <summary>Rebuilding newly assigned tasks' state from their changelogs; their input waits until it is done.</summary>
    Restoring,

    /// <summary>Owns tasks and processes records.</summary>
    Running,

    Stopped,

    Failed,
}
