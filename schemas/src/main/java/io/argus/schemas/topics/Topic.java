package io.argus.schemas.topics;

import java.util.Map;

import org.apache.kafka.common.serialization.Serde;

/**
 * A topic with its name, key and value serdes, and the configuration it is created with.
 *
 * @param name       full topic name, including the configured prefix
 * @param keySerde   serde of the record keys (job ids as UTF-8 strings for every Argus topic)
 * @param valueSerde serde of the record values (Avro, Confluent wire format)
 * @param configs    topic-level configuration used at creation (e.g. cleanup.policy)
 * @param <K>        key type
 * @param <V>        value type
 */
public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde, Map<String, String> configs) {
}
