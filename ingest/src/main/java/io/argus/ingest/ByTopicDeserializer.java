package io.argus.ingest;

import java.util.Map;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;

import io.argus.schemas.topics.Topic;

/**
 * Deserializes the values of several topics with one consumer: each record with its own topic's
 * value serde (ingest reads job requests and extraction requests in one consumer group).
 */
final class ByTopicDeserializer implements Deserializer<SpecificRecord> {

    private final Map<String, Deserializer<? extends SpecificRecord>> byTopic;

    /** @param topics the topics this consumer reads */
    @SafeVarargs
    ByTopicDeserializer(Topic<String, ? extends SpecificRecord>... topics) {
        var map = new java.util.HashMap<String, Deserializer<? extends SpecificRecord>>();
        for (Topic<String, ? extends SpecificRecord> t : topics) {
            map.put(t.name(), t.valueSerde().deserializer());
        }
        this.byTopic = Map.copyOf(map);
    }

    /** @throws IllegalArgumentException for a topic not given at construction */
    @Override
    public SpecificRecord deserialize(String topic, byte[] data) {
        Deserializer<? extends SpecificRecord> d = byTopic.get(topic);
        if (d == null) {
            throw new IllegalArgumentException("no deserializer for topic " + topic);
        }
        return d.deserialize(topic, data);
    }
}
