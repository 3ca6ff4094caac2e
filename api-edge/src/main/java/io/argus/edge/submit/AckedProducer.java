package io.argus.edge.submit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.argus.schemas.kafka.KafkaSettings;
import io.argus.schemas.topics.Topic;

/**
 * The edge's writes to Kafka: one idempotent producer (acks=all, {@link KafkaSettings#producer})
 * whose every write waits for its acknowledgement, bounded by a timeout (metadata wait plus
 * delivery). Values are serialized with each topic's own serde, so one
 * {@code KafkaProducer<String, byte[]>} serves every topic; keys are {@link StringSerializer}
 * bytes with the default partitioner, like the other writers of these topics, so a tombstone lands
 * in the partition of the record it deletes.
 *
 * <p>The producer is created without contacting the brokers, so an unreachable bootstrap never
 * blocks construction; writes then fail after at most the timeout. Thread-safe.
 */
public final class AckedProducer implements AutoCloseable {

    private final Duration timeout;
    private final KafkaProducer<String, byte[]> producer;

    /**
     * @param settings Kafka connection settings
     * @param clientId the producer's client.id
     * @param timeout  bound on one write or one batch of writes; at least 1 s
     */
    public AckedProducer(KafkaSettings settings, String clientId, Duration timeout) {
        this.timeout = timeout.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : timeout;
        Properties p = settings.producer(clientId, null);
        long ms = this.timeout.toMillis();
        int request = (int) Math.max(500, ms / 2);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, ms);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, request);
        // delivery.timeout.ms must be >= linger.ms + request.timeout.ms
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Math.max(ms, request + 100));
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    /** @return the bound on one write */
    public Duration timeout() {
        return timeout;
    }

    /**
     * Writes one record and waits for its acknowledgement.
     *
     * @param topic the topic, with its value serde
     * @param key   record key
     * @param value record value, or null for a tombstone
     * @param <V>   value type
     * @throws IllegalStateException when Kafka refuses the write, does not acknowledge it within the
     *                               timeout, or the wait is interrupted
     */
    public <V> void write(Topic<String, V> topic, String key, V value) {
        await(List.of(send(topic, key, value)));
    }

    /**
     * Writes tombstones for several keys of one topic, then waits for every acknowledgement within
     * one deadline.
     *
     * @param topic the topic
     * @param keys  keys to delete
     * @throws IllegalStateException as {@link #write}
     */
    public void deleteAll(Topic<String, ?> topic, List<String> keys) {
        List<Future<RecordMetadata>> acks = new ArrayList<>(keys.size());
        for (String key : keys) {
            acks.add(producer.send(new ProducerRecord<>(topic.name(), key, null)));
        }
        await(acks);
    }

    private <V> Future<RecordMetadata> send(Topic<String, V> topic, String key, V value) {
        byte[] bytes = value == null ? null : topic.valueSerde().serializer().serialize(topic.name(), value);
        return producer.send(new ProducerRecord<>(topic.name(), key, bytes));
    }

    /** Waits for every ack with one deadline ({@code timeout} + 1 s for the whole batch). */
    private void await(List<Future<RecordMetadata>> acks) {
        long deadline = System.nanoTime() + timeout.toNanos() + TimeUnit.SECONDS.toNanos(1);
        try {
            for (Future<RecordMetadata> ack : acks) {
                ack.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new IllegalStateException(cause.toString(), cause);
        } catch (TimeoutException e) {
            throw new IllegalStateException("no ack from Kafka within " + timeout.toMillis() + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Kafka", e);
        }
    }

    /** Closes the producer, waiting at most 5 s for pending sends. */
    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
