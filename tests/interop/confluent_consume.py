"""Reads a topic the way a data team would: Confluent's own client, AvroDeserializer, schema registry.

Prints one JSON object per record (key, value, schema id from the wire header) and exits once
`--count` records were read, or fails after `--timeout` seconds. Knows nothing of flowledger.
"""

import argparse
import json
import sys
import time
import uuid

from confluent_kafka import OFFSET_BEGINNING, DeserializingConsumer, TopicPartition
from confluent_kafka.schema_registry import SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroDeserializer
from confluent_kafka.serialization import StringDeserializer


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--brokers", required=True)
    parser.add_argument("--registry", required=True)
    parser.add_argument("--topic", required=True)
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--timeout", type=float, default=30.0)
    args = parser.parse_args()

    registry = SchemaRegistryClient({"url": args.registry})
    consumer = DeserializingConsumer(
        {
            "bootstrap.servers": args.brokers,
            "group.id": f"confluent-interop-{uuid.uuid4()}",  # required by the client; no group is joined
            "auto.offset.reset": "earliest",
            "enable.auto.commit": False,
            "key.deserializer": StringDeserializer("utf_8"),
            "value.deserializer": AvroDeserializer(registry),
        }
    )
    deadline = time.monotonic() + args.timeout
    # Every partition from the beginning, assigned directly: the check is about decoding, so it
    # does not wait on a consumer-group join (slow on a broker that has just started).
    partitions = None
    while not partitions:
        if time.monotonic() > deadline:
            print(f"timeout: topic {args.topic} has no partitions", file=sys.stderr, flush=True)
            return 1
        topic = consumer.list_topics(args.topic, timeout=5).topics.get(args.topic)
        partitions = list(topic.partitions) if topic is not None and topic.error is None else None
    consumer.assign([TopicPartition(args.topic, p, OFFSET_BEGINNING) for p in partitions])
    seen = 0
    try:
        while seen < args.count:
            if time.monotonic() > deadline:
                print(f"timeout: read {seen} of {args.count} records", file=sys.stderr, flush=True)
                return 1
            msg = consumer.poll(0.5)
            if msg is None:
                continue
            if msg.error():
                print(f"kafka error: {msg.error()}", file=sys.stderr, flush=True)
                return 1
            raw = msg.value()
            print(json.dumps({"key": msg.key(), "value": raw, "partition": msg.partition(), "offset": msg.offset()}, default=str))
            seen += 1
    finally:
        consumer.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
