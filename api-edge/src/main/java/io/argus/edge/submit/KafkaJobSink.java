package io.argus.edge.submit;

import java.time.Duration;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.argus.schemas.avro.ErrorInfo;
import io.argus.schemas.avro.JobRequest;
import io.argus.schemas.avro.JobState;
import io.argus.schemas.avro.JobStatus;
import io.argus.schemas.kafka.KafkaSettings;
import io.argus.schemas.topics.Topics;

/**
 * Writes a new job to Kafka with one idempotent producer (acks=all, {@link KafkaSettings#producer}):
 * the WAITING status to the job-status topic, waits for its ack, then the {@link JobRequest} to the
 * jobs topic and waits for that ack; both keyed by job id. Values are serialized with the topics'
 * own serdes (Avro, Confluent wire format), so one {@code KafkaProducer<String, byte[]>} serves both.
 *
 * <p>Waiting for the status ack first guarantees that a job that reaches the pipeline always has a
 * status. When the request write fails after the status was written, a best-effort FAILED status
 * (500 "internal error") is written so the job does not stay WAITING forever.
 *
 * <p>The producer is created in the constructor without contacting the brokers, so an unreachable
 * bootstrap never blocks construction; {@link #submit} then fails after at most the timeout.
 */
public final class KafkaJobSink implements JobSink {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaJobSink.class);
    /** Default bound on one submission (both writes, including metadata waits). */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private final Topics topics;
    private final AckedProducer producer;

    /**
     * @param topics   topic registry (job-status and jobs topics and their serdes)
     * @param settings Kafka connection settings
     */
    public KafkaJobSink(Topics topics, KafkaSettings settings) {
        this(topics, settings, DEFAULT_TIMEOUT);
    }

    /**
     * @param topics   topic registry (job-status and jobs topics and their serdes)
     * @param settings Kafka connection settings
     * @param timeout  bound on each of the two writes (metadata wait + delivery); at least 1 s
     */
    public KafkaJobSink(Topics topics, KafkaSettings settings, Duration timeout) {
        this.topics = topics;
        this.producer = new AckedProducer(settings, "argus-api-edge", timeout);
    }

    @Override
    public void submit(JobStatus waiting, JobRequest request) {
        String jobId = request.getJobId();
        try {
            producer.write(topics.jobStatus(), jobId, waiting);
        } catch (RuntimeException e) {
            throw new JobSinkException("Cannot write the WAITING status of job " + jobId + ": " + e.getMessage(), e);
        }
        try {
            producer.write(topics.jobs(), jobId, request);
        } catch (RuntimeException e) {
            markFailed(waiting);
            throw new JobSinkException("Cannot write job request " + jobId + ": " + e.getMessage(), e);
        }
    }

    private void markFailed(JobStatus waiting) {
        try {
            JobStatus failed = JobStatus.newBuilder(waiting)
                    .setStatus(JobState.FAILED)
                    .setError(ErrorInfo.newBuilder().setCode(500).setMessage("internal error").build())
                    .setUpdatedAt(System.currentTimeMillis())
                    .build();
            producer.write(topics.jobStatus(), waiting.getJobId(), failed);
        } catch (RuntimeException e) {
            LOG.warn("Job {} stays WAITING: cannot write its FAILED status either: {}", waiting.getJobId(), e.toString());
        }
    }

    @Override
    public void forget(String jobId) {
        try {
            producer.deleteAll(topics.jobStatus(), List.of(jobId));
        } catch (RuntimeException e) {
            throw new JobSinkException("Cannot forget job " + jobId + ": " + e.getMessage(), e);
        }
    }

    /** Closes the producer, waiting at most 5 s for pending sends. */
    @Override
    public void close() {
        producer.close();
    }
}
