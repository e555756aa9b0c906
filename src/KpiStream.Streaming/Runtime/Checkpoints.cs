using Confluent.Kafka;

namespace KpiStream.Streaming.Runtime;

/// <summary>How a task's checkpoint store names the input positions it holds.</summary>
internal static class Checkpoints
{
    public static string Key(TopicPartition partition) => $"{partition.Topic}:{partition.Partition.Value}";
}
