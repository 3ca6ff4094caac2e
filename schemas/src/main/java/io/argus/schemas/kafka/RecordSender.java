package io.argus.schemas.kafka;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import io.argus.schemas.topics.Topic;

/**
 * One idempotent producer (acks=all) for records of several topics and types: each record is
 * serialized with its {@link Topic}'s serdes and sent as bytes. A null value is a tombstone.
 * Sends are asynchronous; a failure is reported by the next {@link #flush()}. Thread-safe.
 */
public final class RecordSender implements AutoCloseable {

    private final KafkaProducer<byte[], byte[]> producer;
    private final AtomicReference<Exception> failure = new AtomicReference<>();

    /**
     * @param settings Kafka connection
     * @param clientId client.id of the producer
     */
    public RecordSender(KafkaSettings settings, String clientId) {
        this.producer = new KafkaProducer<>(settings.producer(clientId, null), new ByteArraySerializer(),
                new ByteArraySerializer());
    }

    /**
     * @param topic the topic, with its serdes
     * @param key   record key
     * @param value record value, or null for a tombstone
     * @param <V>   value type
     */
    public <V> void send(Topic<String, V> topic, String key, V value) {
        byte[] k = topic.keySerde().serializer().serialize(topic.name(), key);
        byte[] v = value == null ? null : topic.valueSerde().serializer().serialize(topic.name(), value);
        producer.send(new ProducerRecord<>(topic.name(), k, v), (md, e) -> {
            if (e != null) {
                failure.compareAndSet(null, e);
            }
        });
    }

    /**
     * Waits until every record sent so far is acknowledged.
     *
     * @throws IllegalStateException when a send failed
     */
    public void flush() {
        producer.flush();
        Exception e = failure.getAndSet(null);
        if (e != null) {
            throw new IllegalStateException("records not delivered: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
