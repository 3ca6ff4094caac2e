package io.argus.aggregator.topology;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.argus.aggregator.state.JobProgress;
import io.argus.schemas.avro.ControlAction;
import io.argus.schemas.avro.JobControl;

/**
 * The control topic as the aggregator sees it (DESIGN.md "Argus semantics", Jobs and Early
 * terminate).
 *
 * <p>KILL (from api-edge): a final job is left alone; a job not begun (or never seen) is CANCELLED
 * at once, its buffered results dropped and later records ignored; a DOING job has every op not
 * done finished as it stands (open segment closed and emitted, op result of the frames processed
 * so far, not terminated), then becomes CANCELLED. Kill keeps the results produced so far.
 *
 * <p>STOP_OP records are the aggregator's own ({@link #stopOp}), read back: ignored.
 */
final class JobControls {

    /** The {@code reason} of the STOP_OP records the aggregator writes. */
    static final String TERMINATE_REASON = "terminate";

    private static final Logger LOG = LoggerFactory.getLogger(JobControls.class);

    private final JobLifecycle jobs;
    private final OpAggregator ops;

    /**
     * @param jobs the job lifecycle
     * @param ops  the op aggregation, to finish ops at KILL
     */
    JobControls(JobLifecycle jobs, OpAggregator ops) {
        this.jobs = jobs;
        this.ops = ops;
    }

    /** @param control a record of the control topic */
    void onControl(JobControl control) {
        if (control.getAction() != ControlAction.KILL) {
            return;
        }
        JobProgress job = jobs.get(control.getJobId(), control.getVideoId());
        if (job.isFinal()) {
            LOG.debug("Job {}: KILL ignored, already {}", job.jobId(), job.phase());
            return;
        }
        LOG.info("Job {}: killed ({})", job.jobId(), control.getReason());
        if (job.begun()) {
            for (String op : job.opNames()) {
                ops.stop(job, op);
            }
        }
        job.cancel();
        jobs.over(job);
    }

    /**
     * The command telling ingest that an op needs no more frames because its terminate rule was
     * reached.
     *
     * @param job the job
     * @param op  the op that terminated
     * @param now wall clock, ms since the epoch
     * @return a STOP_OP record with reason {@value #TERMINATE_REASON}
     */
    static JobControl stopOp(JobProgress job, String op, long now) {
        return JobControl.newBuilder()
                .setJobId(job.jobId())
                .setVideoId(job.videoId())
                .setAction(ControlAction.STOP_OP)
                .setOp(op)
                .setReason(TERMINATE_REASON)
                .setAtMs(now)
                .build();
    }
}
