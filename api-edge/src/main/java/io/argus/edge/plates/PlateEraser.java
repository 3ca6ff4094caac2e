package io.argus.edge.plates;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.argus.edge.submit.AckedProducer;
import io.argus.schemas.kafka.KafkaSettings;
import io.argus.schemas.topics.Topics;

/**
 * Deletes a job's plates: a tombstone on {@code argus.plates} for each of its keys
 * ({@code <job>/<track>}, as the {@link PlateIndex} knows them), so every edge's index drops them
 * and the compacted topic forgets them, and at once from this edge's index. Used when a file is
 * deleted (its analysis job's plates must not outlive it, for admins either). Thread-safe.
 */
public final class PlateEraser implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PlateEraser.class);

    private final PlateIndex index;
    private final Topics topics;
    private final AckedProducer producer;

    /**
     * @param index  the edge's plate index (which keys belong to a job)
     * @param topics topic registry ({@link Topics#plates()})
     * @param kafka  connection settings
     */
    public PlateEraser(PlateIndex index, Topics topics, KafkaSettings kafka) {
        this.index = index;
        this.topics = topics;
        this.producer = new AckedProducer(kafka, "argus-api-edge-plates", Duration.ofSeconds(30));
    }

    /**
     * @param jobId a job that has ended (a running job could write plates again)
     * @return plates deleted
     * @throws IllegalStateException when the index cannot be read or Kafka does not acknowledge the
     *                               tombstones within 30 s (nothing is removed from the index then,
     *                               so a retry finds the same keys)
     */
    public int eraseJob(String jobId) {
        try {
            List<String> keys = index.keysOfJob(jobId);
            if (keys.isEmpty()) {
                return 0;
            }
            producer.deleteAll(topics.plates(), keys);
            index.forget(keys);
            LOG.info("Job {}: {} plates deleted", jobId, keys.size());
            return keys.size();
        } catch (IOException e) {
            throw new IllegalStateException("plate index: " + e.getMessage(), e);
        }
    }

    /** Closes the producer. */
    @Override
    public void close() {
        producer.close();
    }
}
