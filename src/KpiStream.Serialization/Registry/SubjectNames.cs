namespace KpiStream.Serialization.Registry;

/// <summary>Confluent's topic-name strategy.</summary>
public static class SubjectNames
{
    public static string ForValue(string topic) => $"{topic}-value";
}
