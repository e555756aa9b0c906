namespace KpiStream.Streaming.Runtime;

public enum StreamsState
{
    Created,

    /// <summary>Connected, waiting for its first partition assignment.</summary>
    Starting,

    /// <summary>Owns tasks and processes records.</summary>
    Running,

    Stopped,

    Failed,
}
