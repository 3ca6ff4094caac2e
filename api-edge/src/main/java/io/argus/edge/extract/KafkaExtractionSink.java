package io.argus.edge.extract;

import java.time.Duration;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.argus.schemas.avro.ErrorInfo;
import io.argus.schemas.avro.ExtractionRequest;
import io.argus.schemas.avro.ExtractionState;
import io.argus.schemas.avro.ExtractionStatus;
import io.argus.schemas.kafka.KafkaSettings;
import io.argus.edge.submit.AckedProducer;
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
 * Writes go through an {@link AckedProducer}, so a tombstone lands in the partition of the record
 * it deletes.
 *
 * <p>The producer is created without contacting the brokers; an unreachable bootstrap makes calls
 * fail after at most the timeout. Thread-safe.
 */
public final class KafkaExtractionSink implements ExtractionSink {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaExtractionSink.class);
    /** Default bound on one write (metadata wait + delivery). */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private final Topics topics;
    private final AckedProducer producer;

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
        this.producer = new AckedProducer(settings, "argus-api-edge-extractions", timeout);
    }

    @Override
    public void submit(ExtractionStatus waiting, ExtractionRequest request) {
        String id = request.getRequestId();
        try {
            producer.write(topics.extractionStatus(), id, waiting);
        } catch (RuntimeException e) {
            throw new ExtractionSinkException("Cannot write the WAITING status of extraction " + id + ": "
                    + e.getMessage(), e);
        }
        try {
            producer.write(topics.extractions(), id, request);
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
            producer.deleteAll(topics.extracted(), itemKeys);
        } catch (RuntimeException e) {
            throw new ExtractionSinkException("Cannot delete " + itemKeys.size() + " index entries (first "
                    + itemKeys.get(0) + "): " + e.getMessage(), e);
        }
    }

    @Override
    public void deleteStatus(String requestId) {
        try {
            producer.write(topics.extractionStatus(), requestId, null);
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
            producer.write(topics.extractionStatus(), waiting.getRequestId(), failed);
        } catch (RuntimeException e) {
            LOG.warn("Extraction {} stays WAITING: cannot write its FAILED status either: {}",
                    waiting.getRequestId(), e.toString());
        }
    }

    /** Closes the producer, waiting at most 5 s for pending sends. */
    @Override
    public void close() {
        producer.close();
    }
}
