using System.Collections.Concurrent;
using Avro;
using Avro.Generic;
using Avro.IO;
using KpiStream.Core.Validation;
using KpiStream.Serialization.Registry;
using Confluent.Kafka;
using Confluent.SchemaRegistry.Serdes;

namespace KpiStream.Serialization.Avro;

/// <summary>
/// Encodes and decodes one record type in the Confluent wire format. Encoding is Confluent's
/// <see cref="AvroSerializer{T}"/> (topic-name subjects; registering the schema unless the registry
/// client is told not to). Decoding resolves the writer schema by id, so producers on older or newer
/// compatible schemas are read correctly; it is this project's own, as it is faster than Confluent's
/// deserializer on the hot path (BENCHMARKS.md) and reports a reason instead of throwing.
/// </summary>
public sealed class AvroCodec<T>
    where T : class
{
    private readonly IAvroMapper<T> _mapper;
    private readonly ConfluentSchemaRegistryClient _registry;
    private readonly int _maxPayloadBytes;
    private readonly ISerializer<GenericRecord> _serializer;
    private readonly SerializationContext _context;
    private readonly ConcurrentDictionary<int, GenericDatumReader<GenericRecord>?> _readers = new();

    // Schema ids whose writer schema is the mapper's own, so the span reader applies.
    private readonly ConcurrentDictionary<int, bool> _ownSchema = new();

    public AvroCodec(IAvroMapper<T> mapper, ConfluentSchemaRegistryClient registry, string topic, int maxPayloadBytes = 1024 * 1024)
    {
        _mapper = mapper;
        _registry = registry;
        _maxPayloadBytes = maxPayloadBytes;
        _serializer = registry.Serializer();
        _context = new SerializationContext(MessageComponentType.Value, topic);
    }

    /// <remarks>The first call per schema asks the registry (the host registers output schemas at start-up, so the stream never waits on it); later calls do not.</remarks>
    public byte[] Encode(T value) => _serializer.Serialize(_mapper.ToRecord(value), _context);

    public DecodeResult<T> Decode(byte[]? framed)
    {
        if (framed is null || framed.Length == 0)
        {
            return DecodeResult<T>.Fail(DeadLetterReason.EmptyValue, "record has no value");
        }

        if (framed.Length > _maxPayloadBytes)
        {
            return DecodeResult<T>.Fail(DeadLetterReason.PayloadTooLarge, $"value is {framed.Length} bytes, the limit is {_maxPayloadBytes}");
        }

        if (!WireFormat.TryReadHeader(framed, out var schemaId))
        {
            return DecodeResult<T>.Fail(DeadLetterReason.NotWireFormat, $"expected magic byte 0 and a 4-byte schema id, got {framed.Length} bytes starting with 0x{framed[0]:x2}");
        }

        // Looked up first: GetOrAdd with the method would allocate a delegate for every record.
        GenericDatumReader<GenericRecord>? reader;
        try
        {
            reader = _readers.TryGetValue(schemaId, out var known) ? known : _readers.GetOrAdd(schemaId, CreateReader);
        }
        catch (SchemaRegistryException e)
        {
            // Only an id the registry answers 404 for is unknown (a null reader); anything else is asked again later.
            return DecodeResult<T>.RegistryUnavailable(e.Message);
        }
        catch (AvroException e)
        {
            return DecodeResult<T>.Fail(DeadLetterReason.WrongSchema, $"schema id {schemaId} is not an Avro schema this codec can read: {e.Message}");
        }

        if (reader is null)
        {
            _readers.TryRemove(schemaId, out _);
            return DecodeResult<T>.Fail(DeadLetterReason.UnknownSchema, $"schema id {schemaId} is not in the registry");
        }

        if (reader.WriterSchema.Fullname != _mapper.Schema.Fullname)
        {
            return DecodeResult<T>.Fail(DeadLetterReason.WrongSchema, $"schema id {schemaId} is {reader.WriterSchema.Fullname}, expected {_mapper.Schema.Fullname}");
        }

        try
        {
            if (_mapper is IAvroSpanReader<T> spanReader && _ownSchema.GetOrAdd(schemaId, static (_, pair) => pair.Writer.WriterSchema.ToString() == pair.Own.ToString(), (Writer: reader, Own: _mapper.Schema)))
            {
                var (value, read) = spanReader.Read(framed.AsSpan(WireFormat.HeaderLength));
                return read == framed.Length - WireFormat.HeaderLength
                    ? DecodeResult<T>.Ok(value)
                    : DecodeResult<T>.Fail(DeadLetterReason.UndecodableAvro, $"{framed.Length - WireFormat.HeaderLength - read} trailing bytes after the record");
            }

            var decoder = new BoundedBinaryDecoder(framed, WireFormat.HeaderLength, framed.Length - WireFormat.HeaderLength);
            var record = reader.Read(null!, decoder);
            if (!decoder.AtEnd)
            {
                return DecodeResult<T>.Fail(DeadLetterReason.UndecodableAvro, $"{decoder.Remaining} trailing bytes after the record");
            }

            return DecodeResult<T>.Ok(_mapper.FromRecord(record));
        }
        catch (Exception e)
        {
            // Whatever a hostile record makes the reader throw (a union branch out of range surfaces as an
            // IndexOutOfRangeException in Apache.Avro) is that record's problem, never the stream's.
            return DecodeResult<T>.Fail(DeadLetterReason.UndecodableAvro, e.Message);
        }
    }

    /// <summary>
    /// The record re-encoded after <paramref name="edit"/>, exactly as its writer wrote it otherwise
    /// (every field of the writer's schema, framed with the same schema id), so that it can be read
    /// and replayed like the original; null when it does not decode. For dead letters, not the hot path.
    /// </summary>
    public byte[]? Rewrite(byte[] framed, Action<GenericRecord> edit)
    {
        if (!WireFormat.TryReadHeader(framed, out var schemaId) || _registry.GetByIdAsync(schemaId).GetAwaiter().GetResult() is not { } writerSchema)
        {
            return null;
        }

        try
        {
            var record = new GenericDatumReader<GenericRecord>(writerSchema, writerSchema).Read(null!, new BoundedBinaryDecoder(framed, WireFormat.HeaderLength, framed.Length - WireFormat.HeaderLength));
            edit(record);
            using var output = new MemoryStream();
            new GenericDatumWriter<GenericRecord>(writerSchema).Write(record, new BinaryEncoder(output));
            return WireFormat.Frame(schemaId, output.GetBuffer().AsSpan(0, (int)output.Length));
        }
        catch (Exception)
        {
            return null;
        }
    }

    private GenericDatumReader<GenericRecord>? CreateReader(int schemaId)
    {
        var writerSchema = _registry.GetByIdAsync(schemaId).GetAwaiter().GetResult();
        return writerSchema is null ? null : new GenericDatumReader<GenericRecord>(writerSchema, writerSchema.Fullname == _mapper.Schema.Fullname ? _mapper.Schema : writerSchema);
    }
}
