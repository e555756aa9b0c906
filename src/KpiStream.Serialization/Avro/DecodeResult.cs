using KpiStream.Core.Validation;

namespace KpiStream.Serialization.Avro;

/// <summary>A decoded value, or why it could not be decoded.</summary>
public readonly record struct DecodeResult<T>(T? Value, Rejection? Rejection)
    where T : class
{
    public static DecodeResult<T> Ok(T value) => new(value, null);

    public static DecodeResult<T> Fail(DeadLetterReason reason, string detail) => new(null, new Rejection(reason, detail));
}
