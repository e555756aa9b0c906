#!/usr/bin/python3
"""Reads KpiStream's output topics as a downstream team would, with code that shares nothing with
KpiStream: Debian's confluent-kafka (consumer, Schema Registry client) and avro (decoder).
Debian has no fastavro, so Confluent's AvroDeserializer cannot load; the registry client fetches
each writer schema by the id in the Confluent wire format and avro decodes the rest.

usage: read_outputs.py BOOTSTRAP REGISTRY_URL TOPIC [TOPIC...]
prints one JSON object per record: {"topic", "key", "schema_id", "value"}."""
import io
import json
import struct
import sys

import avro.io
import avro.schema
from confluent_kafka import Consumer, KafkaError
from confluent_kafka.schema_registry import SchemaRegistryClient


def main(bootstrap, registry_url, topics):
    registry = SchemaRegistryClient({"url": registry_url})
    readers = {}
    consumer = Consumer({
        "bootstrap.servers": bootstrap,
        "group.id": "python-reader",
        "auto.offset.reset": "earliest",
        "enable.auto.commit": False,
        "isolation.level": "read_committed",
        "enable.partition.eof": True,
    })
    partitions = sum(len(consumer.list_topics(t, timeout=10).topics[t].partitions) for t in topics)
    consumer.subscribe(topics)
    at_end = 0
    while at_end < partitions:
        message = consumer.poll(10)
        if message is None:
            raise SystemExit("no record and no end of partition within 10 s")
        if message.error():
            if message.error().code() == KafkaError._PARTITION_EOF:
                at_end += 1
                continue
            raise SystemExit(str(message.error()))
        value = message.value()
        magic, schema_id = struct.unpack(">bI", value[:5])
        if magic != 0:
            raise SystemExit(f"magic byte {magic} in {message.topic()}")
        if schema_id not in readers:
            schema = avro.schema.parse(registry.get_schema(schema_id).schema_str)
            readers[schema_id] = avro.io.DatumReader(schema)
        record = readers[schema_id].read(avro.io.BinaryDecoder(io.BytesIO(value[5:])))
        print(json.dumps({"topic": message.topic(), "key": message.key().decode(), "schema_id": schema_id, "value": record}, default=str, sort_keys=True))
    consumer.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3:])
