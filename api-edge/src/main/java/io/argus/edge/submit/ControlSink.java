package io.argus.edge.submit;

import io.argus.schemas.avro.JobControl;

/**
 * Where the edge sends job control commands: the {@code KILL} of
 * {@code POST /v1/jobs/video/<job_id>} with {@code op=kill} ({@code argus-video-api.md},
 * POST__/v1/jobs/video/kill). The aggregator turns a KILL into the CANCELLED status and ingest
 * stops the job's source. The Kafka implementation is {@link KafkaControlSink}; tests can use an
 * in-memory one.
 *
 * <p>Implementations are thread-safe: the HTTP server calls {@link #send} from many threads.
 */
public interface ControlSink extends AutoCloseable {

    /**
     * Durably records a command, keyed by its job id. Returns only once it is acknowledged.
     *
     * @param command the command
     * @throws ControlSinkException when it could not be recorded (the edge answers 503)
     */
    void send(JobControl command);

    /** Releases resources; the default does nothing. */
    @Override
    default void close() {
    }
}
