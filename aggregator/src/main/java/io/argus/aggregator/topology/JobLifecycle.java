package io.argus.aggregator.topology;

import java.util.function.LongSupplier;

import io.argus.aggregator.state.JobProgress;

/**
 * Loads, saves and reports jobs: every change to a begun job is saved and emitted as a job-status
 * record, and a job that becomes final (FINISHED, FAILED or CANCELLED) drops its ops' state and
 * makes its RESULT callback ({@link HookCalls#jobOver}) after its final status.
 */
final class JobLifecycle {

    private final AggregatorStores stores;
    private final Emitter out;
    private final HookCalls hooks;
    private final LongSupplier clock;

    /**
     * @param stores the job and op stores
     * @param out    where statuses go
     * @param hooks  the job's callbacks
     * @param clock  wall clock, ms since the epoch
     */
    JobLifecycle(AggregatorStores stores, Emitter out, HookCalls hooks, LongSupplier clock) {
        this.stores = stores;
        this.out = out;
        this.hooks = hooks;
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
     * After a change to a begun job that is not final: FINISHED (see {@link #over}) when every op is
     * done, otherwise saved with its status emitted.
     *
     * @param job the job
     */
    void changed(JobProgress job) {
        if (!job.isFinal() && job.allOpsDone()) {
            job.finish();
            over(job);
            return;
        }
        job.touch(clock.getAsLong());
        stores.putJob(job);
        out.status(JobStatuses.of(job));
    }

    /**
     * After the job became final: its ops' state is dropped, the job saved (it stays to ignore late
     * records until purged), its status emitted, then its RESULT callback made.
     *
     * @param job the job, final
     */
    void over(JobProgress job) {
        job.touch(clock.getAsLong());
        stores.forgetOps(job.jobId());
        stores.putJob(job);
        out.status(JobStatuses.of(job));
        hooks.jobOver(job);
    }
}
