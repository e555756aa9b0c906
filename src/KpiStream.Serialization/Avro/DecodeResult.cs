using KpiStream.Core.Validation;

namespace KpiStream.Serialization.Avro;

/// <summary>A decoded value; or why it could not be decoded; or, with <see cref="Unavailable"/>, that it cannot be decoded yet.</summary>
public readonly record struct DecodeResult<T>(T? Value, Rejection? Rejection, string? Unavailable = null)
    where T : class
{
    public static DecodeResult<T> Ok(T value) => new(value, null);

    public static DecodeResult<T> Fail(DeadLetterReason reason, string detail) => new(null, new Rejection(reason, detail));

    /// <summary>The writer schema could not be had because the registry did not answer (down, 5xx, refused credentials): neither the record's fault nor a reason to drop it.</summary>
    public static DecodeResult<T> RegistryUnavailable(string reason) => new(null, null, reason);
}
