package io.argus.edge.jobs;

import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.argus.edge.submit.JobSink;
import io.argus.edge.view.JobView;
import io.argus.schemas.avro.JobStatus;

/**
 * Deletes a job that has ended: its own stored frames ({@code <job_id>/…} in the frame store; the
 * frames a job saved under {@code params.save} are the caller's and stay), then what the erasers
 * registered with {@link #onDelete} keep of it (its faces, traces and plates: tombstones on their
 * compacted topics, so every search index and view drops them), then its status (a tombstone on
 * the compacted job-status topic, so every edge's job view forgets it). Its records on the other
 * topics age out with the topics' retention.
 *
 * <p>The status goes last, so a deletion that fails midway leaves the job listed and a retry
 * finishes it; every step may run twice.
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
    private final List<Consumer<String>> erasers = new CopyOnWriteArrayList<>();

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
     * Adds an eraser of what a job leaves outside the frame store and its status, run by every
     * deletion (the job API's, a file's, the retention's) after the frames.
     *
     * @param eraser takes the job id; throws {@link RuntimeException} when it cannot erase (Kafka
     *               down), which fails the deletion before the status goes
     */
    public void onDelete(Consumer<String> eraser) {
        erasers.add(Objects.requireNonNull(eraser, "eraser"));
    }

    /**
     * Runs the erasers alone, for a job whose status is gone already (a file whose job was deleted
     * before its erasers existed).
     *
     * @param jobId the job
     * @throws io.argus.edge.submit.JobSinkException when an eraser fails
     */
    public void erase(String jobId) {
        for (Consumer<String> e : erasers) {
            try {
                e.accept(jobId);
            } catch (RuntimeException ex) {
                throw new io.argus.edge.submit.JobSinkException("cannot erase the results of job " + jobId + ": "
                        + ex.getMessage(), ex);
            }
        }
    }

    /**
     * @param jobId the job
     * @return what was done
     * @throws IOException when the frames cannot be deleted (the job is kept, so a retry can finish)
     * @throws io.argus.edge.submit.JobSinkException when an eraser fails or the tombstone cannot be
     *                                               written (the job is kept; a retry finishes)
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
        erase(jobId);
        sink.forget(jobId);
        view.remove(jobId);
        LOG.info("Job {} deleted: {} stored frames", jobId, deleted);
        return new Deleted(deleted);
    }
}
