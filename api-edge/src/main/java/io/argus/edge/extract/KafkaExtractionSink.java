package io.argus.edge.extract;

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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.argus.schemas.avro.ErrorInfo;
import io.argus.schemas.avro.ExtractionRequest;
import io.argus.schemas.avro.ExtractionState;
import io.argus.schemas.avro.ExtractionStatus;
import io.argus.schemas.kafka.KafkaSettings;
import io.argus.schemas.topics.Topic;
import io.argus.schemas.topics.Topics;

/**
 * Writes extraction records with one idempotent producer (acks=all, {@link KafkaSettings#producer}),
 * synchronously: every call waits for the acknowledgements, at most the timeout.
 * <ul>
 *   <li>{@link #submit}: the WAITING status to argus.extraction-status, waits for its ack, then the
 *       request to argus.extractions (both keyed by request id). When the request write fails, a
 *       best-effort FAILED status (500 "internal error") replaces the WAITING one.</li>
 *   <li>{@link #deleteItems}: null-valued records (tombstones) on argus.extracted, sent together,
 *       then every ack awaited.</li>
 *   <li>{@link #deleteStatus}: a tombstone on argus.extraction-status.</li>
 * </ul>
 * Keys are {@link StringSerializer} bytes with the default partitioner, as the other writers of
 * these topics use, so a tombstone lands in the partition of the record it deletes.
 *
 * <p>The producer is created without contacting the brokers; an unreachable bootstrap makes calls
 * fail after at most the timeout. Thread-safe.
 */
public final class KafkaExtractionSink implements ExtractionSink {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaExtractionSink.class);
    /** Default bound on one write (metadata wait + delivery). */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private final Topics topics;
    private final Duration timeout;
    private final KafkaProducer<String, byte[]> producer;

    /**
     * @param topics   topic registry (extractions, extraction-status, extracted and their serdes)
     * @param settings Kafka connection settings
     */
    public KafkaExtractionSink(Topics topics, KafkaSettings settings) {
        this(topics, settings, DEFAULT_TIMEOUT);
    }

    /**
     * @param topics   topic registry
     * @param settings Kafka connection settings
     * @param timeout  bound on each write (metadata wait + delivery); at least 1 s
     */
    public KafkaExtractionSink(Topics topics, KafkaSettings settings, Duration timeout) {
        this.topics = topics;
        this.timeout = timeout.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : timeout;
        Properties p = settings.producer("argus-api-edge-extractions", null);
        long ms = this.timeout.toMillis();
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, ms);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.max(500, ms / 2));
        // delivery.timeout.ms must be >= linger.ms + request.timeout.ms
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Math.max(ms, Math.max(500, ms / 2) + 100));
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    @Override
    public void submit(ExtractionStatus waiting, ExtractionRequest request) {
        String id = request.getRequestId();
        try {
            await(List.of(send(topics.extractionStatus(), id, waiting)));
        } catch (RuntimeException e) {
            throw new ExtractionSinkException("Cannot write the WAITING status of extraction " + id + ": "
                    + e.getMessage(), e);
        }
        try {
            await(List.of(send(topics.extractions(), id, request)));
        } catch (RuntimeException e) {
            markFailed(waiting);
            throw new ExtractionSinkException("Cannot write extraction request " + id + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void deleteItems(List<String> itemKeys) {
        if (itemKeys.isEmpty()) {
            return;
        }
        try {
            List<Future<RecordMetadata>> acks = new ArrayList<>(itemKeys.size());
            for (String key : itemKeys) {
                acks.add(producer.send(new ProducerRecord<>(topics.extracted().name(), key, null)));
            }
            await(acks);
        } catch (RuntimeException e) {
            throw new ExtractionSinkException("Cannot delete " + itemKeys.size() + " index entries (first "
                    + itemKeys.get(0) + "): " + e.getMessage(), e);
        }
    }

    @Override
    public void deleteStatus(String requestId) {
        try {
            await(List.of(producer.send(new ProducerRecord<>(topics.extractionStatus().name(), requestId, null))));
        } catch (RuntimeException e) {
            throw new ExtractionSinkException("Cannot delete the status of extraction " + requestId + ": "
                    + e.getMessage(), e);
        }
    }

    private void markFailed(ExtractionStatus waiting) {
        try {
            ExtractionStatus failed = ExtractionStatus.newBuilder(waiting)
                    .setState(ExtractionState.FAILED)
                    .setError(ErrorInfo.newBuilder().setCode(500).setMessage("internal error").build())
                    .setUpdatedAt(System.currentTimeMillis())
                    .build();
            await(List.of(send(topics.extractionStatus(), waiting.getRequestId(), failed)));
        } catch (RuntimeException e) {
            LOG.warn("Extraction {} stays WAITING: cannot write its FAILED status either: {}",
                    waiting.getRequestId(), e.toString());
        }
    }

    private <V> Future<RecordMetadata> send(Topic<String, V> topic, String key, V value) {
        byte[] bytes = topic.valueSerde().serializer().serialize(topic.name(), value);
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
