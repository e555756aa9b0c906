namespace KpiStream.Serialization.Registry;

/// <summary>Confluent's compatibility levels: which earlier versions of a subject a new schema must be compatible with, and in which direction.</summary>
public enum CompatibilityLevel
{
    None,

    /// <summary>The new schema reads data written with the latest version.</summary>
    Backward,

    /// <summary>The new schema reads data written with every version.</summary>
    BackwardTransitive,

    /// <summary>The latest version reads data written with the new schema.</summary>
    Forward,

    ForwardTransitive,

    /// <summary>Backward and forward with the latest version.</summary>
    Full,

    FullTransitive,
}
