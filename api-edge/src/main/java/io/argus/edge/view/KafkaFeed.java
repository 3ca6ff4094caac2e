package io.argus.edge.view;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.argus.schemas.avro.JobStatus;
import io.argus.schemas.avro.OpResult;
import io.argus.schemas.kafka.KafkaSettings;
import io.argus.schemas.topics.Topics;

/**
 * The thread feeding a {@link JobView} from the job-status and op-results topics: a plain
 * consumer without a group, assigned every partition, reading from the beginning.
 */
final class KafkaFeed {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaFeed.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(2);
    /** Partition discovery period while a topic has no partitions yet, then once all have some. */
    private static final long REFRESH_EARLY_NS = Duration.ofSeconds(1).toNanos();
    private static final long REFRESH_LATER_NS = Duration.ofSeconds(30).toNanos();
    private static final long BACKOFF_MS = 1000;

    private final Topics topics;
    private final KafkaSettings settings;
    private final JobView view;
    private final CompletableFuture<Void> caughtUp;
    private final Deserializer<JobStatus> statusReader;
    private final Deserializer<OpResult> resultReader;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile KafkaConsumer<String, byte[]> consumer;

    KafkaFeed(Topics topics, KafkaSettings settings, JobView view, CompletableFuture<Void> caughtUp) {
        this.topics = topics;
        this.settings = settings;
        this.view = view;
        this.caughtUp = caughtUp;
        this.statusReader = topics.jobStatus().valueSerde().deserializer();
        this.resultReader = topics.opResults().valueSerde().deserializer();
        this.thread = new Thread(this::run, "argus-edge-job-view");
        this.thread.setDaemon(true);
    }

    void start() {
        String clientId = "argus-api-edge-view-" + UUID.randomUUID().toString().substring(0, 8);
        Properties p = settings.consumer("unused", clientId);
        p.remove(ConsumerConfig.GROUP_ID_CONFIG); // no group: assign() + seekToBeginning()
        p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        thread.start();
    }

    void close() {
        running = false;
        KafkaConsumer<String, byte[]> c = consumer;
        if (c == null) {
            return;
        }
        c.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        Set<TopicPartition> assigned = new HashSet<>();
        Map<TopicPartition, Long> targets = null;
        long nextRefresh = System.nanoTime();
        try {
            while (running) {
                try {
                    if (System.nanoTime() - nextRefresh >= 0) {
                        boolean complete = refresh(assigned);
                        if (targets == null) {
                            targets = assigned.isEmpty() ? Map.of()
                                    : consumer.endOffsets(assigned, METADATA_TIMEOUT);
                        }
                        nextRefresh = System.nanoTime() + (complete ? REFRESH_LATER_NS : REFRESH_EARLY_NS);
                    }
                    if (assigned.isEmpty()) {
                        markCaughtUp(targets);
                        Thread.sleep(POLL.toMillis());
                        continue;
                    }
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(POLL)) {
                        dispatch(r);
                    }
                    markCaughtUp(targets);
                } catch (WakeupException e) {
                    throw e;
                } catch (KafkaException e) {
                    LOG.warn("Job view: Kafka error, retrying in {} ms: {}", BACKOFF_MS, e.toString());
                    nextRefresh = System.nanoTime();
                    Thread.sleep(BACKOFF_MS);
                }
            }
        } catch (WakeupException e) {
            if (running) {
                LOG.error("Job view feed woken up unexpectedly; stopping", e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("Job view feed stopped", e);
        } finally {
            try {
                consumer.close(Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                LOG.debug("Closing the job view consumer", e);
            }
        }
    }

    /**
     * Assigns partitions not assigned yet and rewinds them to the beginning.
     *
     * @return true when both topics have partitions
     */
    private boolean refresh(Set<TopicPartition> assigned) {
        Set<TopicPartition> fresh = new HashSet<>();
        boolean complete = true;
        for (String topic : List.of(topics.jobStatus().name(), topics.opResults().name())) {
            List<PartitionInfo> parts = consumer.partitionsFor(topic, METADATA_TIMEOUT);
            if (parts == null || parts.isEmpty()) {
                complete = false;
                continue;
            }
            for (PartitionInfo p : parts) {
                TopicPartition tp = new TopicPartition(p.topic(), p.partition());
                if (!assigned.contains(tp)) {
                    fresh.add(tp);
                }
            }
        }
        if (!fresh.isEmpty()) {
            assigned.addAll(fresh);
            consumer.assign(assigned);
            consumer.seekToBeginning(fresh);
            LOG.info("Job view reading {} new partition(s): {}", fresh.size(), fresh);
        }
        return complete;
    }

    private void markCaughtUp(Map<TopicPartition, Long> targets) {
        if (targets == null || caughtUp.isDone()) {
            return;
        }
        for (Map.Entry<TopicPartition, Long> t : targets.entrySet()) {
            if (consumer.position(t.getKey(), METADATA_TIMEOUT) < t.getValue()) {
                return;
            }
        }
        caughtUp.complete(null);
    }

    private void dispatch(ConsumerRecord<String, byte[]> r) {
        try {
            if (r.topic().equals(topics.jobStatus().name())) {
                if (r.value() == null) {
                    if (r.key() != null) {
                        view.remove(r.key());
                    }
                } else {
                    view.apply(statusReader.deserialize(r.topic(), r.value()));
                }
            } else if (r.topic().equals(topics.opResults().name()) && r.value() != null) {
                view.apply(resultReader.deserialize(r.topic(), r.value()));
            }
        } catch (RuntimeException e) {
            LOG.warn("Job view: skipping undecodable record {}-{}@{}: {}", r.topic(), r.partition(), r.offset(),
                    e.toString());
            view.dropped("undecodable");
        }
    }
}
