package io.argus.edge.jobs;

import java.io.IOException;
import java.util.Objects;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.argus.edge.submit.JobSink;
import io.argus.edge.view.JobView;
import io.argus.schemas.avro.JobStatus;

/**
 * Deletes a job that has ended: its own stored frames ({@code <job_id>/…} in the frame store; the
 * frames a job saved under {@code params.save} are the caller's and stay), then its status (a
 * tombstone on the compacted job-status topic, so every edge's job view forgets it). Its records
 * on the other topics age out with the topics' retention.
 */
public final class JobDeleter {

    private static final Logger LOG = LoggerFactory.getLogger(JobDeleter.class);

    /** What a deletion did. */
    public sealed interface Outcome {
    }

    /** No such job. */
    public record NotFound() implements Outcome {
    }

    /**
     * The job has not ended: nothing deleted.
     *
     * @param status its current status
     */
    public record Running(JobStatus status) implements Outcome {
    }

    /**
     * The job is deleted.
     *
     * @param frames stored frames deleted
     */
    public record Deleted(int frames) implements Outcome {
    }

    private final JobView view;
    private final JobSink sink;
    private final FrameDeletion frames;

    /**
     * @param view   the job view (statuses)
     * @param sink   writes the job-status tombstone ({@link JobSink#forget})
     * @param frames deletes stored frames by prefix
     */
    public JobDeleter(JobView view, JobSink sink, FrameDeletion frames) {
        this.view = Objects.requireNonNull(view, "view");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.frames = Objects.requireNonNull(frames, "frames");
    }

    /**
     * @param jobId the job
     * @return what was done
     * @throws IOException when the frames cannot be deleted (the job is kept, so a retry can finish)
     * @throws io.argus.edge.submit.JobSinkException when the tombstone cannot be written (the
     *                                               frames are gone already; a retry finishes)
     */
    public Outcome delete(String jobId) throws IOException {
        Optional<JobStatus> status = view.status(jobId);
        if (status.isEmpty()) {
            return new NotFound();
        }
        if (!JobView.isTerminal(status.get().getStatus())) {
            return new Running(status.get());
        }
        int deleted = frames.deletePrefix(jobId);
        sink.forget(jobId);
        view.remove(jobId);
        LOG.info("Job {} deleted: {} stored frames", jobId, deleted);
        return new Deleted(deleted);
    }
}
