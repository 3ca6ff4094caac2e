package io.argus.edge.submit;

import io.argus.schemas.avro.JobRequest;
import io.argus.schemas.avro.JobStatus;

/**
 * Where the edge hands an accepted job (POST /v1/video, {@code argus-video-api.md}).
 * The Kafka implementation is {@link KafkaJobSink}; tests can use an in-memory one.
 *
 * <p>Implementations are thread-safe: the HTTP server calls {@link #submit} from many threads.
 */
public interface JobSink extends AutoCloseable {

    /**
     * Durably records a new job: first its WAITING status, then the request, both keyed by the job
     * id. Returns only once both are acknowledged.
     *
     * @param waiting the job's WAITING status ({@link io.argus.edge.request.WaitingStatus#of})
     * @param request the validated request
     * @throws JobSinkException when the job could not be recorded (the edge answers 503)
     */
    void submit(JobStatus waiting, JobRequest request);

    /** Releases resources; the default does nothing. */
    /**
     * Forgets a job: a tombstone for it on the compacted job-status topic, so every job view drops
     * it ({@code DELETE /v1/jobs/video/<id>}, the job retention).
     *
     * @param jobId the job
     * @throws JobSinkException when the tombstone cannot be written
     */
    void forget(String jobId);

    @Override
    default void close() {
    }
}
