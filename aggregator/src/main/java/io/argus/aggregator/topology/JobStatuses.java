package io.argus.aggregator.topology;

import io.argus.aggregator.state.ErrorData;
import io.argus.aggregator.state.JobProgress;
import io.argus.schemas.avro.ErrorInfo;
import io.argus.schemas.avro.JobState;
import io.argus.schemas.avro.JobStatus;

/** Makes job-status records from the aggregator's {@link JobProgress}. */
public final class JobStatuses {

    private JobStatuses() {
    }

    /**
     * The job-status record for a job's current progress.
     *
     * <p>status: DOING, FINISHED, FAILED or CANCELLED (WAITING is api-edge's); error for FAILED:
     * the END marker's error, or 500 {@code "op <name> failed on every frame: <first error>"} when
     * an op failed on every frame it processed ({@link JobProgress#opFailure()}); created_at: the
     * request's submission time and updated_at: wall clock of the latest change (ms since the
     * epoch); ops in request order and ops_done in request order; frames_sampled: FRAME markers
     * seen; frames_analyzed: the minimum over ops of results processed, leaving out terminated ops
     * unless every op terminated; frames_expected: the source's estimate or -1.
     *
     * @param job a job whose BEGIN was seen, or that is final (failed or killed before BEGIN: no
     *            request, no ops)
     * @return the status record
     * @throws IllegalStateException when the job is still waiting for BEGIN
     */
    public static JobStatus of(JobProgress job) {
        ErrorData error = job.error();
        return JobStatus.newBuilder()
                .setJobId(job.jobId())
                .setVideoId(job.videoId())
                .setStatus(state(job.phase()))
                .setError(error == null ? null : new ErrorInfo(error.code(), error.message()))
                .setRequestJson(job.requestJson())
                .setCreatedAt(job.createdAt())
                .setUpdatedAt(job.updatedAt())
                .setOps(job.opNames())
                .setOpsDone(job.opsDone())
                .setFramesSampled(job.framesSampled())
                .setFramesAnalyzed(job.framesAnalyzed())
                .setFramesExpected(job.framesExpected())
                .build();
    }

    /**
     * @param phase the aggregator's phase of a job
     * @return the job state reported for it
     * @throws IllegalStateException for {@link JobProgress.Phase#AWAITING_BEGIN}, which has no status
     */
    static JobState state(JobProgress.Phase phase) {
        return switch (phase) {
            case DOING -> JobState.DOING;
            case FINISHED -> JobState.FINISHED;
            case FAILED -> JobState.FAILED;
            case CANCELLED -> JobState.CANCELLED;
            case AWAITING_BEGIN -> throw new IllegalStateException("job has no status before BEGIN");
        };
    }
}
