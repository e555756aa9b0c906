namespace KpiStream.Serialization.Registry;

/// <summary>Compatibility levels as Confluent's REST API spells them (<c>BACKWARD_TRANSITIVE</c>).</summary>
public static class CompatibilityLevelNames
{
    public static string Name(this CompatibilityLevel level) => level switch
    {
        CompatibilityLevel.None => "NONE",
        CompatibilityLevel.Backward => "BACKWARD",
        CompatibilityLevel.BackwardTransitive => "BACKWARD_TRANSITIVE",
        CompatibilityLevel.Forward => "FORWARD",
        CompatibilityLevel.ForwardTransitive => "FORWARD_TRANSITIVE",
        CompatibilityLevel.Full => "FULL",
        CompatibilityLevel.FullTransitive => "FULL_TRANSITIVE",
        _ => throw new ArgumentOutOfRangeException(nameof(level), level, null),
    };

    public static bool TryParse(string? name, out CompatibilityLevel level)
    {
        foreach (var candidate in Enum.GetValues<CompatibilityLevel>())
        {
            if (string.Equals(candidate.Name(), name, StringComparison.OrdinalIgnoreCase))
            {
                level = candidate;
                return true;
            }
        }

        level = default;
        return false;
    }
}
