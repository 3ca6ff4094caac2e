package io.argus.edge.jobs;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.argus.edge.view.JobView;
import io.argus.schemas.avro.JobStatus;

/**
 * The job retention sweep: every period, each job that ended (FINISHED, FAILED, CANCELLED) longer
 * ago than the retention ({@code updated_at} older than now − retention) is deleted as
 * {@code DELETE /v1/jobs/video/<id>} deletes it ({@link JobDeleter}): its own frames, its faces,
 * traces and plates, and its status; jobs owned by a file ({@link #keep}) stay. The default retention, 7 days, is the topics' own retention, so a job's frames do not
 * outlive its records. Running jobs (live ones included) are never swept. Every edge instance
 * sweeps; deleting twice is harmless.
 */
public final class JobRetention implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(JobRetention.class);
    /** Default retention: 7 days, the retention of the job topics. */
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(7);
    /** Default period between sweeps: 10 minutes. */
    public static final Duration DEFAULT_PERIOD = Duration.ofMinutes(10);

    private final JobView view;
    private final JobDeleter deleter;
    private final Duration retention;
    private volatile Predicate<String> owned = job -> false;
    private final Duration period;
    private final LongSupplier clockMs;
    private ScheduledExecutorService timer;

    /**
     * @param view      the job view (statuses with {@code updated_at})
     * @param deleter   deletes a job
     * @param retention how long an ended job is kept, positive
     * @param period    time between sweeps, positive
     * @param clockMs   wall clock, ms since the epoch
     * @throws IllegalArgumentException when retention or period is not positive
     */
    public JobRetention(JobView view, JobDeleter deleter, Duration retention, Duration period, LongSupplier clockMs) {
        this.view = Objects.requireNonNull(view, "view");
        this.deleter = Objects.requireNonNull(deleter, "deleter");
        if (retention.isNegative() || retention.isZero() || period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("retention and period must be positive: " + retention + ", " + period);
        }
        this.retention = retention;
        this.period = period;
        this.clockMs = clockMs;
    }

    /**
     * Keeps the jobs a predicate names whatever their age: the analysis job of a media-API file
     * lives as long as the file (its faces, traces and plates are the file's), and goes with it.
     *
     * @param owned true for a job id to keep
     */
    public void keep(Predicate<String> owned) {
        this.owned = Objects.requireNonNull(owned, "owned");
    }

    /** Starts sweeping: the first sweep after one period. */
    public synchronized void start() {
        if (timer != null) {
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "argus-edge-job-retention");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::sweepQuietly, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Deletes every ended job older than the retention, now.
     *
     * @return jobs deleted
     */
    public int sweep() {
        long before = clockMs.getAsLong() - retention.toMillis();
        int deleted = 0;
        for (JobStatus s : view.list(Optional.empty())) {
            if (JobView.isTerminal(s.getStatus()) && s.getUpdatedAt() < before && !owned.test(s.getJobId())) {
                try {
                    if (deleter.delete(s.getJobId()) instanceof JobDeleter.Deleted) {
                        deleted++;
                    }
                } catch (Exception e) {
                    LOG.warn("Job retention: job {} not deleted, next sweep retries: {}", s.getJobId(), e.toString());
                }
            }
        }
        if (deleted > 0) {
            LOG.info("Job retention: {} jobs older than {} deleted", deleted, retention);
        }
        return deleted;
    }

    private void sweepQuietly() {
        try {
            sweep();
        } catch (RuntimeException e) {
            LOG.warn("Job retention sweep failed: {}", e.toString());
        }
    }

    /** Stops sweeping. */
    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
    }
}
