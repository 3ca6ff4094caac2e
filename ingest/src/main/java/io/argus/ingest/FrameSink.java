package io.argus.ingest;

import io.argus.schemas.avro.FrameEvent;

/** Where a job's frame events go; the Kafka implementation writes them to the frames topic. */
public interface FrameSink {

    /**
     * Sends one event; events of one job keep their order.
     *
     * @param event BEGIN, FRAME or END event keyed by its job id
     */
    void send(FrameEvent event);

    /** Blocks until every event sent so far is acknowledged. */
    void flush();
}
