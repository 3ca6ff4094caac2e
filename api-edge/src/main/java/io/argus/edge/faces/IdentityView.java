package io.argus.edge.faces;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.argus.edge.view.TopicFollower;
import io.argus.schemas.avro.Identity;
import io.argus.schemas.avro.IdentityTrace;
import io.argus.schemas.kafka.KafkaSettings;
import io.argus.schemas.topics.Topics;

/**
 * The identities, in memory, rebuilt from {@code argus.identities} (compacted) at start and kept up
 * to date; a tombstone removes one. Also answers which identity a trace belongs to. Thread-safe.
 */
public final class IdentityView implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(IdentityView.class);

    private final Map<String, Identity> identities = new HashMap<>();
    private final Map<String, String> traceToIdentity = new HashMap<>();
    private final TopicFollower follower;

    /**
     * @param topics topic registry ({@link Topics#identities()})
     * @param kafka  connection settings
     */
    public IdentityView(Topics topics, KafkaSettings kafka) {
        Deserializer<Identity> reader = topics.identities().valueSerde().deserializer();
        this.follower = new TopicFollower(topics.identities().name(), "identity-view", kafka, r -> apply(r, reader));
    }

    private void apply(ConsumerRecord<String, byte[]> r, Deserializer<Identity> reader) {
        if (r.key() == null) {
            return;
        }
        if (r.value() == null) {
            remove(r.key());
            return;
        }
        try {
            put(reader.deserialize(r.topic(), r.value()));
        } catch (RuntimeException bad) {
            LOG.warn("Identity view: skipping undecodable record {}-{}@{}: {}", r.topic(), r.partition(), r.offset(),
                    bad.toString());
        }
    }

    /** @param id an identity, added or replaced */
    public synchronized void put(Identity id) {
        remove(id.getIdentityUuid());
        identities.put(id.getIdentityUuid(), id);
        for (IdentityTrace t : id.getTraces()) {
            traceToIdentity.put(key(t.getJobId(), t.getTraceId()), id.getIdentityUuid());
        }
        notifyAll();
    }

    private synchronized void remove(String uuid) {
        Identity old = identities.remove(uuid);
        if (old != null) {
            for (IdentityTrace t : old.getTraces()) {
                traceToIdentity.remove(key(t.getJobId(), t.getTraceId()), uuid);
            }
        }
        notifyAll();
    }

    static String key(String jobId, long traceId) {
        return jobId + "/" + traceId;
    }

    /** @return the identity, if any */
    public synchronized Optional<Identity> get(String uuid) {
        return Optional.ofNullable(identities.get(uuid));
    }

    /** @return every identity */
    public synchronized List<Identity> all() {
        return new ArrayList<>(identities.values());
    }

    /**
     * @param jobId   a job
     * @param traceId a trace of it
     * @return the identity the trace belongs to, if any
     */
    public synchronized Optional<Identity> ofTrace(String jobId, long traceId) {
        String uuid = traceToIdentity.get(key(jobId, traceId));
        return uuid == null ? Optional.empty() : Optional.ofNullable(identities.get(uuid));
    }

    /**
     * Waits until the view satisfies a condition (read-your-writes after a command).
     *
     * @param condition checked on every change
     * @param timeout   the longest wait
     * @return whether it held before the timeout
     * @throws InterruptedException when interrupted
     */
    public synchronized boolean await(Predicate<IdentityView> condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.test(this)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    /** Starts following the topic. */
    public void start() {
        follower.start();
    }

    /** @return completes once the identities present at start are read */
    public CompletableFuture<Void> caughtUp() {
        return follower.caughtUp();
    }

    @Override
    public void close() {
        follower.close();
    }
}
