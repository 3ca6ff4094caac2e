package io.argus.edge.faces;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.argus.edge.view.TopicFollower;
import io.argus.schemas.avro.FaceEvent;
import io.argus.schemas.kafka.KafkaSettings;
import io.argus.schemas.topics.Topics;

/**
 * Keeps the {@link FaceIndex} up to date from {@code argus.faces}: from the offsets of the index's
 * last commit (from the beginning for a new or lost index), a record indexes its face, a tombstone
 * removes it. Searchers are refreshed every {@link #REFRESH} (so a face is searchable within about
 * a second of being consumed: poll 200 ms + refresh), and the index is committed with the offsets
 * reached every {@link #COMMIT} (a commit fsyncs several megabytes of vectors, so not every poll as
 * the plate index does; after a crash the feed reads the records since the last commit again,
 * which replace their faces by key). A record that cannot be decoded or indexed (e.g. an embedding
 * of the wrong dimension for its model) is logged and skipped, and the face its key held before,
 * if any, removed (the topic's latest value for the key is not a face).
 */
public final class FaceFeed implements AutoCloseable {

    /** Period of searcher refreshes. */
    public static final Duration REFRESH = Duration.ofMillis(500);
    /** Period of durable commits (when records were consumed since the last one). */
    public static final Duration COMMIT = Duration.ofSeconds(10);

    private static final Logger LOG = LoggerFactory.getLogger(FaceFeed.class);

    private final FaceIndex index;
    private final TopicFollower follower;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "argus-edge-face-index-refresh");
        t.setDaemon(true);
        return t;
    });
    /** Offsets reached once every record before them is in the writer (set by the follower's thread). */
    private volatile Map<Integer, Long> reached;
    private Map<Integer, Long> committed;
    private long lastCommit = System.nanoTime();

    /**
     * @param index  the index to keep
     * @param topics topic registry ({@link Topics#faces()})
     * @param kafka  connection settings
     */
    public FaceFeed(FaceIndex index, Topics topics, KafkaSettings kafka) {
        this.index = index;
        Deserializer<FaceEvent> reader = topics.faces().valueSerde().deserializer();
        this.follower = new TopicFollower(topics.faces().name(), "face-index", kafka, new TopicFollower.Handler() {
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
                try {
                    index.put(r.key(), reader.deserialize(r.topic(), r.value()));
                } catch (RuntimeException bad) {
                    // the key's latest value is not a face the index can hold: an older one goes too
                    LOG.warn("Face index: skipping record {}-{}@{} (key {} removed): {}", r.topic(), r.partition(),
                            r.offset(), r.key(), bad.toString());
                    index.delete(r.key());
                }
            }

            @Override
            public void polled(Map<Integer, Long> next) {
                reached = Map.copyOf(next);
            }
        });
    }

    /** Starts following the topic, refreshing and committing. */
    public void start() {
        follower.start();
        timer.scheduleWithFixedDelay(this::tick, REFRESH.toMillis(), REFRESH.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void tick() {
        try {
            Map<Integer, Long> r = reached;
            if (r != null && !r.equals(committed) && System.nanoTime() - lastCommit >= COMMIT.toNanos()) {
                // every record before r is in the writer; later ones may be too (replayed harmlessly)
                index.commit(r);
                committed = r;
                lastCommit = System.nanoTime();
            } else {
                index.refresh();
            }
        } catch (Exception e) {
            LOG.warn("Face index: refresh or commit failed: {}", e.toString());
        }
    }

    /** @return completes once the faces present at start are consumed (searchable within {@link #REFRESH}) */
    public CompletableFuture<Void> caughtUp() {
        return follower.caughtUp();
    }

    /**
     * Stops following and commits what was consumed (the index itself is closed by its owner).
     */
    @Override
    public void close() {
        follower.close();
        timer.shutdown();
        try {
            timer.awaitTermination(10, TimeUnit.SECONDS);
            Map<Integer, Long> r = reached;
            if (r != null && !r.equals(committed)) {
                index.commit(r);
                committed = r;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn("Face index: last commit failed: {}", e.toString());
        }
    }
}
