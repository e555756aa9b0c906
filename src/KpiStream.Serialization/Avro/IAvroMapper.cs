using Avro;
using Avro.Generic;

namespace KpiStream.Serialization.Avro;

/// <summary>Maps one Core record type to and from its Avro record.</summary>
public interface IAvroMapper<T>
{
    RecordSchema Schema { get; }

    GenericRecord ToRecord(T value);

    T FromRecord(GenericRecord record);
}
