package io.argus.ingest;

import io.argus.schemas.avro.FrameEvent;

/**
 * Where one run of a job sends its frame events; the Kafka implementation
 * ({@link TransactionalFrameSink}) writes them to the frames topics in transactions.
 */
public interface FrameSink extends AutoCloseable {

    /**
     * Sends one event; events of one job keep their order.
     *
     * @param event BEGIN, FRAME or END event keyed by its job id
     * @throws FrameSinkException when events of this run were lost (the run must start again from
     *                            what the frames topic holds)
     */
    void send(FrameEvent event);

    /**
     * Blocks until every event sent so far is durable and visible to read_committed readers.
     *
     * @throws FrameSinkException as {@link #send}
     */
    void flush();

    /** Releases the sink; events sent after the last {@link #flush()} may be dropped. */
    @Override
    default void close() {
    }
}
