package io.argus.edge.plates;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.argus.edge.view.TopicFollower;
import io.argus.schemas.avro.PlateEvent;
import io.argus.schemas.kafka.KafkaSettings;
import io.argus.schemas.topics.Topics;

/**
 * Keeps the {@link PlateIndex} up to date from {@code argus.plates}: from the offsets of the
 * index's last commit (from the beginning for a new or lost index), a record indexes its plate, a
 * tombstone removes it, and every poll commits the index with the offsets reached. So each edge
 * instance holds its own index and no search server is needed; live jobs' plates are searchable
 * within a poll (200 ms) of the aggregator writing them.
 */
public final class PlateFeed implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PlateFeed.class);

    private final TopicFollower follower;

    /**
     * @param index  the index to keep
     * @param topics topic registry ({@link Topics#plates()})
     * @param kafka  connection settings
     */
    public PlateFeed(PlateIndex index, Topics topics, KafkaSettings kafka) {
        Deserializer<PlateEvent> reader = topics.plates().valueSerde().deserializer();
        this.follower = new TopicFollower(topics.plates().name(), "plate-index", kafka, new TopicFollower.Handler() {
            @Override
            public Map<Integer, Long> startOffsets() {
                return index.offsets();
            }

            @Override
            public void record(ConsumerRecord<String, byte[]> r) throws Exception {
                if (r.key() == null) {
                    return;
                }
                if (r.value() == null) {
                    index.delete(r.key());
                    return;
                }
                PlateEvent e;
                try {
                    e = reader.deserialize(r.topic(), r.value());
                } catch (RuntimeException bad) {
                    LOG.warn("Plate index: skipping undecodable record {}-{}@{}: {}", r.topic(), r.partition(),
                            r.offset(), bad.toString());
                    return;
                }
                index.put(r.key(), e);
            }

            @Override
            public void polled(Map<Integer, Long> next) throws Exception {
                index.commit(next);
            }
        });
    }

    /** Starts following the topic. */
    public void start() {
        follower.start();
    }

    /** @return completes once the plates present at start are indexed */
    public CompletableFuture<Void> caughtUp() {
        return follower.caughtUp();
    }

    @Override
    public void close() {
        follower.close();
    }
}
