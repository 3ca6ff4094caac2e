package io.argus.edge.hooks;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.argus.schemas.avro.HookCall;
import io.argus.schemas.kafka.KafkaSettings;
import io.argus.schemas.topics.Topic;
import io.argus.schemas.topics.Topics;

/**
 * Writes hook calls that gave up to {@link Topics#hooksDlq()}, keyed by job id, with an idempotent
 * producer (acks=all, {@link KafkaSettings#producer}). Thread-safe.
 */
public final class KafkaDeadLetterSink implements DeadLetterSink {

    private final Topic<String, HookCall> topic;
    private final KafkaProducer<String, byte[]> producer;

    /**
     * @param topics   topic registry (the dead-letter topic and its serde)
     * @param settings Kafka connection settings
     * @param clientId client.id of the producer
     */
    public KafkaDeadLetterSink(Topics topics, KafkaSettings settings, String clientId) {
        this.topic = topics.hooksDlq();
        Properties p = settings.producer(clientId, null);
        // bound the metadata wait of send(), which runs on a delivery thread
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    @Override
    public CompletableFuture<Void> send(HookCall failed) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            byte[] bytes = topic.valueSerde().serializer().serialize(topic.name(), failed);
            producer.send(new ProducerRecord<>(topic.name(), failed.getJobId(), bytes), (md, e) -> {
                if (e == null) {
                    done.complete(null);
                } else {
                    done.completeExceptionally(e);
                }
            });
        } catch (RuntimeException e) {
            done.completeExceptionally(e);
        }
        return done;
    }

    /** Closes the producer, waiting at most 5 s for pending sends. */
    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
