namespace KpiStream.Streaming.Stores;

/// <summary>One change of a store as written to its changelog: a null value deletes the key.</summary>
public readonly record struct ChangelogEntry(byte[] Key, byte[]? Value);
