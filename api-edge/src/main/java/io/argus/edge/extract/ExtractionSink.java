package io.argus.edge.extract;

import java.util.List;

import io.argus.schemas.avro.ExtractionRequest;
import io.argus.schemas.avro.ExtractionStatus;

/**
 * Where the edge writes extraction records: new requests with their WAITING status, and the
 * tombstones of deletions. The Kafka implementation is {@link KafkaExtractionSink}; tests use
 * in-memory ones.
 *
 * <p>Every method returns only once the writes are acknowledged. Implementations are thread-safe.
 */
public interface ExtractionSink extends AutoCloseable {

    /**
     * Records a new request: first its WAITING status (argus.extraction-status), then the request
     * (argus.extractions), both keyed by request id.
     *
     * @param waiting the request's WAITING status
     * @param request the validated request
     * @throws ExtractionSinkException when it could not be recorded (the edge answers 503)
     */
    void submit(ExtractionStatus waiting, ExtractionRequest request);

    /**
     * Deletes index entries: one tombstone (null value) per key on argus.extracted.
     *
     * @param itemKeys index keys ({@link ExtractionIds#itemKey}); empty does nothing
     * @throws ExtractionSinkException when a tombstone was not acknowledged
     */
    void deleteItems(List<String> itemKeys);

    /**
     * Forgets a request: a tombstone on argus.extraction-status.
     *
     * @param requestId request id
     * @throws ExtractionSinkException when the tombstone was not acknowledged
     */
    void deleteStatus(String requestId);

    /** Releases resources; the default does nothing. */
    @Override
    default void close() {
    }
}
