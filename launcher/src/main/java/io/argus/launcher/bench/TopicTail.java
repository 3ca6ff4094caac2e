package io.argus.launcher.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

import io.argus.schemas.kafka.KafkaSettings;
import io.argus.schemas.topics.Topic;

/**
 * Records every committed record of one topic, as a read_committed subscriber sees it (every
 * partition, from the beginning, no group), with the wall time each record became readable to it.
 * Used by the latency benchmarks and the end-to-end tests. Memory grows with the records kept.
 *
 * @param <V> value type
 */
public final class TopicTail<V> implements AutoCloseable {

    /**
     * A record value and when this subscriber received it.
     *
     * @param value        the record value
     * @param receivedAtMs wall clock when poll returned it, ms since the epoch
     * @param <V>          value type
     */
    public record Seen<V>(V value, long receivedAtMs) {
    }

    private final KafkaConsumer<String, V> consumer;
    private final List<Seen<V>> seen = new CopyOnWriteArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    /**
     * Starts reading at once.
     *
     * @param kafka Kafka connection
     * @param topic the topic, which must exist
     */
    public TopicTail(KafkaSettings kafka, Topic<String, V> topic) {
        var props = kafka.consumer("unused", "recorder-" + topic.name());
        props.remove("group.id");
        consumer = new KafkaConsumer<>(props, topic.keySerde().deserializer(), topic.valueSerde().deserializer());
        List<TopicPartition> parts = consumer.partitionsFor(topic.name()).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(parts);
        consumer.seekToBeginning(parts);
        thread = new Thread(() -> {
            try {
                while (running.get()) {
                    for (ConsumerRecord<String, V> r : consumer.poll(Duration.ofMillis(20))) {
                        seen.add(new Seen<>(r.value(), System.currentTimeMillis()));
                    }
                }
            } catch (WakeupException e) {
                // closing
            }
        }, "recorder-" + topic.name());
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * @param filter which values
     * @return values matching the filter, in the order received
     */
    public List<V> values(Predicate<V> filter) {
        List<V> out = new ArrayList<>();
        for (Seen<V> s : seen) {
            if (filter.test(s.value())) {
                out.add(s.value());
            }
        }
        return out;
    }

    /**
     * @param filter which values
     * @return records matching the filter with their receive times
     */
    public List<Seen<V>> seen(Predicate<V> filter) {
        return seen.stream().filter(s -> filter.test(s.value())).toList();
    }

    /**
     * Waits until at least {@code n} values match.
     *
     * @param filter  which values
     * @param n       how many to wait for
     * @param timeout how long to wait at most
     * @return the matching values (fewer than n after the timeout)
     * @throws InterruptedException when interrupted
     */
    public List<V> await(Predicate<V> filter, int n, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<V> out = values(filter);
        while (out.size() < n && System.nanoTime() < deadline) {
            Thread.sleep(20);
            out = values(filter);
        }
        return out;
    }

    /** Stops reading. */
    @Override
    public void close() throws InterruptedException {
        running.set(false);
        consumer.wakeup();
        thread.join(5000);
        consumer.close();
    }
}
