package io.argus.schemas.kafka;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/** Consumer offsets of a processed batch. */
public final class Offsets {

    private Offsets() {
    }

    /**
     * @param records a polled batch, fully processed
     * @param <K>     key type
     * @param <V>     value type
     * @return per partition of the batch, the offset after its last record (what to commit)
     */
    public static <K, V> Map<TopicPartition, OffsetAndMetadata> after(ConsumerRecords<K, V> records) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition tp : records.partitions()) {
            List<ConsumerRecord<K, V>> list = records.records(tp);
            offsets.put(tp, new OffsetAndMetadata(list.get(list.size() - 1).offset() + 1));
        }
        return offsets;
    }
}
