package io.argus.aggregator.topology;

import java.util.function.LongSupplier;

import io.argus.aggregator.state.ErrorData;
import io.argus.aggregator.state.JobProgress;

/**
 * Loads, saves and reports jobs: every change to a begun job is saved and emitted as a job-status
 * record, and a job that becomes final (FINISHED, FAILED or CANCELLED) drops its ops' state and,
 * after its final status, writes its END frame-cutting event ({@link VframeEvents#over}) and makes
 * its RESULT callback ({@link HookCalls#jobOver}).
 *
 * <p>Once every op is done, the job is FINISHED unless an op failed on every frame it processed:
 * then it is FAILED with 500 {@code "op <name> failed on every frame: <first error>"}
 * ({@link JobProgress#opFailure()}); the ops' results already written stay as they are.
 */
final class JobLifecycle {

    private final AggregatorStores stores;
    private final Emitter out;
    private final HookCalls hooks;
    private final VframeEvents vframes;
    private final LongSupplier clock;

    /**
     * @param stores  the job and op stores
     * @param out     where statuses go
     * @param hooks   the job's callbacks
     * @param vframes the job's frame-cutting events (END)
     * @param clock   wall clock, ms since the epoch
     */
    JobLifecycle(AggregatorStores stores, Emitter out, HookCalls hooks, VframeEvents vframes, LongSupplier clock) {
        this.stores = stores;
        this.out = out;
        this.hooks = hooks;
        this.vframes = vframes;
        this.clock = clock;
    }

    /**
     * @param jobId   job id
     * @param videoId video id for a job not seen before, or null
     * @return the stored job, or a new one waiting for BEGIN (not stored yet)
     */
    JobProgress get(String jobId, String videoId) {
        JobProgress job = stores.job(jobId);
        return job != null ? job : new JobProgress(jobId, videoId, clock.getAsLong());
    }

    /** @param job a job waiting for BEGIN, changed: saved, nothing emitted */
    void waiting(JobProgress job) {
        stores.putJob(job);
    }

    /**
     * After a change to a begun job that is not final: when every op is done, FINISHED, or FAILED
     * when an op failed on every frame ({@link JobProgress#opFailure()}), then see {@link #over};
     * otherwise saved with its status emitted.
     *
     * @param job the job
     */
    void changed(JobProgress job) {
        if (!job.isFinal() && job.allOpsDone()) {
            ErrorData failure = job.opFailure();
            if (failure == null) {
                job.finish();
            } else {
                job.fail(failure);
            }
            over(job);
            return;
        }
        job.touch(clock.getAsLong());
        stores.putJob(job);
        out.status(JobStatuses.of(job));
    }

    /**
     * After the job became final: its ops' state is dropped, the job saved (it stays to ignore late
     * records until purged), its status emitted, then its END frame-cutting event, then its RESULT
     * callback made.
     *
     * @param job the job, final
     */
    void over(JobProgress job) {
        job.touch(clock.getAsLong());
        stores.forgetOps(job.jobId());
        stores.putJob(job);
        out.status(JobStatuses.of(job));
        vframes.over(job);
        hooks.jobOver(job);
    }
}
