using System.Collections.Concurrent;
using Avro;
using Avro.Generic;
using Avro.IO;
using KpiStream.Core.Validation;
using KpiStream.Serialization.Registry;

namespace KpiStream.Serialization.Avro;

/// <summary>
/// Encodes and decodes one record type in the Confluent wire format. Encoding registers the
/// reader schema under the topic's subject once; decoding resolves the writer schema by id, so
/// producers on older or newer compatible schemas are read correctly.
/// </summary>
public sealed class AvroCodec<T>
    where T : class
{
    private readonly IAvroMapper<T> _mapper;
    private readonly ISchemaRegistry _registry;
    private readonly string _subject;
    private readonly int _maxPayloadBytes;
    private readonly GenericDatumWriter<GenericRecord> _writer;
    private readonly ConcurrentDictionary<int, GenericDatumReader<GenericRecord>?> _readers = new();

    // Schema ids whose writer schema is the mapper's own, so the span reader applies.
    private readonly ConcurrentDictionary<int, bool> _ownSchema = new();
    // Stream threads share a codec. PublicationOnly: a failed registration is tried again, not cached.
    private readonly Lazy<int> _schemaId;

    public AvroCodec(IAvroMapper<T> mapper, ISchemaRegistry registry, string topic, int maxPayloadBytes = 1024 * 1024)
    {
        _mapper = mapper;
        _registry = registry;
        _subject = SubjectNames.ForValue(topic);
        _maxPayloadBytes = maxPayloadBytes;
        _writer = new GenericDatumWriter<GenericRecord>(mapper.Schema);
        _schemaId = new Lazy<int>(() => registry.RegisterAsync(_subject, mapper.Schema).GetAwaiter().GetResult(), LazyThreadSafetyMode.PublicationOnly);
    }

    public byte[] Encode(T value)
    {
        // Registration is a one-off round trip; the hot path after it never blocks.
        var schemaId = _schemaId.Value;
        using var buffer = new MemoryStream();
        _writer.Write(_mapper.ToRecord(value), new BinaryEncoder(buffer));
        return WireFormat.Frame(schemaId, buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
    }

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
