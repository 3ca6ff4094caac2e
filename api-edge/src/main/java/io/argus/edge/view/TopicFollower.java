package io.argus.edge.view;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.argus.schemas.kafka.KafkaSettings;

/**
 * Follows every partition of one topic on its own thread, without a consumer group, for the
 * edge's views of a topic (Kafka is the source of truth; a view is rebuilt from it): each
 * partition starts at the offset the view asks for ({@link Handler#startOffsets}, the beginning for
 * the others), every record goes to {@link Handler#record}, and after each non-empty poll
 * {@link Handler#polled} gets the next offsets (to make the view durable with them).
 * {@link #caughtUp()} completes once the positions reach the end offsets seen at start. Kafka
 * errors are logged and retried every second; a handler's exception stops the follower.
 */
public final class TopicFollower implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TopicFollower.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(2);

    /** What a view does with the records. */
    public interface Handler {
        /** @return partition → offset to start from; partitions not named start at the beginning */
        default Map<Integer, Long> startOffsets() {
            return Map.of();
        }

        /**
         * @param r a record (value null for a tombstone)
         * @throws Exception when it cannot be applied (the follower stops)
         */
        void record(ConsumerRecord<String, byte[]> r) throws Exception;

        /**
         * @param next partition → next offset to read, after a poll that returned records
         * @throws Exception when the view cannot be made durable (the follower stops)
         */
        default void polled(Map<Integer, Long> next) throws Exception {
        }
    }

    private final String topic;
    private final String name;
    private final KafkaSettings settings;
    private final Handler handler;
    private final CompletableFuture<Void> caughtUp = new CompletableFuture<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile KafkaConsumer<String, byte[]> consumer;

    /**
     * @param topic    the topic's name
     * @param name     the view's name, for the thread and logs (e.g. {@code plate-index})
     * @param settings Kafka connection settings
     * @param handler  what to do with the records
     */
    public TopicFollower(String topic, String name, KafkaSettings settings, Handler handler) {
        this.topic = topic;
        this.name = name;
        this.settings = settings;
        this.handler = handler;
        this.thread = new Thread(this::run, "argus-edge-" + name);
        this.thread.setDaemon(true);
    }

    /** Starts following. */
    public void start() {
        Properties p = settings.consumer("unused", "argus-api-edge-" + name + "-" + UUID.randomUUID().toString().substring(0, 8));
        p.remove(ConsumerConfig.GROUP_ID_CONFIG);
        p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        thread.start();
    }

    /** @return completes once the records present at start are handled */
    public CompletableFuture<Void> caughtUp() {
        return caughtUp;
    }

    private void run() {
        Map<TopicPartition, Long> targets = null;
        try {
            while (running) {
                try {
                    if (targets == null) {
                        List<PartitionInfo> parts = consumer.partitionsFor(topic, METADATA_TIMEOUT);
                        if (parts == null || parts.isEmpty()) {
                            Thread.sleep(POLL.toMillis());
                            continue;
                        }
                        List<TopicPartition> tps = parts.stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
                        consumer.assign(tps);
                        consumer.seekToBeginning(tps);
                        Map<Integer, Long> from = handler.startOffsets();
                        for (TopicPartition tp : tps) {
                            Long o = from.get(tp.partition());
                            if (o != null) {
                                consumer.seek(tp, o);
                            }
                        }
                        targets = new HashMap<>(consumer.endOffsets(tps, METADATA_TIMEOUT));
                    }
                    ConsumerRecords<String, byte[]> records = consumer.poll(POLL);
                    for (ConsumerRecord<String, byte[]> r : records) {
                        handler.record(r);
                    }
                    if (!records.isEmpty()) {
                        Map<Integer, Long> next = new HashMap<>();
                        for (TopicPartition tp : consumer.assignment()) {
                            next.put(tp.partition(), consumer.position(tp, METADATA_TIMEOUT));
                        }
                        handler.polled(next);
                    }
                    if (!caughtUp.isDone() && targets.entrySet().stream()
                            .allMatch(t -> consumer.position(t.getKey(), METADATA_TIMEOUT) >= t.getValue())) {
                        LOG.info("View {} of {} caught up", name, topic);
                        caughtUp.complete(null);
                    }
                } catch (WakeupException e) {
                    throw e;
                } catch (KafkaException e) {
                    LOG.warn("View {}: Kafka error, retrying: {}", name, e.toString());
                    Thread.sleep(1000);
                }
            }
        } catch (WakeupException e) {
            if (running) {
                LOG.error("View {} woken up unexpectedly; stopping", name, e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.error("View {} of {} stopped", name, topic, e);
            caughtUp.completeExceptionally(e);
        } finally {
            try {
                consumer.close(Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                LOG.debug("Closing the {} consumer", name, e);
            }
        }
    }

    /** Stops the thread (waits up to 10 s). */
    @Override
    public void close() {
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
}
