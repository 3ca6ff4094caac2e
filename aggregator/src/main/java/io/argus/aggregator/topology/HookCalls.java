package io.argus.aggregator.topology;

import java.util.List;
import java.util.function.LongSupplier;

import io.argus.aggregator.state.ErrorData;
import io.argus.aggregator.state.JobProgress;
import io.argus.aggregator.state.OpState;
import io.argus.schemas.avro.ErrorInfo;
import io.argus.schemas.avro.HookCall;
import io.argus.schemas.avro.HookKind;
import io.argus.schemas.avro.OpResult;
import io.argus.schemas.avro.Segment;

/**
 * Makes the callbacks of a job (spec CALLBACK /v1/video/segment, /op-result and /result) as
 * {@link HookCall} records for the hooks topic, which api-edge delivers:
 * <ul>
 *   <li>SEGMENT, to {@code ops[].hookURL_segment}, as each segment of the op closes;</li>
 *   <li>OP_RESULT, to {@code ops[].hookURL}, when the op is done (every frame, terminate or kill);</li>
 *   <li>RESULT, to {@code params.hookURL}, when the job is final (FINISHED, FAILED or CANCELLED),
 *       with the results of the ops done in request order; they are kept in the results store until
 *       then.</li>
 * </ul>
 * Each call has a stable idempotency key ({@link #segmentKey}, {@link #opResultKey},
 * {@link #resultKey}) and is made once: segments close once, ops finish once and jobs become final
 * once. {@code created_at_ms} is the wall clock when the call is made, ms since the epoch.
 */
final class HookCalls {

    private final AggregatorStores stores;
    private final Emitter out;
    private final LongSupplier clock;

    /**
     * @param stores where the ops' results wait for the job's RESULT call
     * @param out    where the calls go
     * @param clock  wall clock, ms since the epoch
     */
    HookCalls(AggregatorStores stores, Emitter out, LongSupplier clock) {
        this.stores = stores;
        this.out = out;
        this.clock = clock;
    }

    /**
     * A segment of the op closed: a SEGMENT call when the op has {@code hookURL_segment}.
     *
     * @param job     the job
     * @param op      the op's state
     * @param segment the segment as sent to the segments topic
     */
    void segmentClosed(JobProgress job, OpState op, Segment segment) {
        if (op.hookUrlSegment() == null) {
            return;
        }
        out.hook(call(job, HookKind.SEGMENT, op.hookUrlSegment(),
                segmentKey(job.jobId(), op.op(), segment.getIndex()))
                .setOp(op.op())
                .setSegment(segment)
                .build());
    }

    /**
     * The op is done: an OP_RESULT call when the op has {@code hookURL}; its result kept for the
     * RESULT call when the job has {@code params.hookURL}.
     *
     * @param job    the job
     * @param op     the op's state
     * @param result the op's result as sent to the op-results topic
     */
    void opFinished(JobProgress job, OpState op, OpResult result) {
        if (op.hookUrl() != null) {
            out.hook(call(job, HookKind.OP_RESULT, op.hookUrl(), opResultKey(job.jobId(), op.op()))
                    .setOp(op.op())
                    .setResults(List.of(result))
                    .build());
        }
        if (job.hookUrl() != null) {
            stores.putResult(job.jobId(), result);
        }
    }

    /**
     * The job became final: a RESULT call when the job has {@code params.hookURL}, with the kept
     * results in request order, the final state and, for FAILED, the error. The kept results are
     * deleted either way.
     *
     * @param job the job, final
     */
    void jobOver(JobProgress job) {
        List<OpResult> results = stores.takeResults(job.jobId(), job.opNames());
        if (job.hookUrl() == null) {
            return;
        }
        ErrorData error = job.error();
        out.hook(call(job, HookKind.RESULT, job.hookUrl(), resultKey(job.jobId()))
                .setResults(results)
                .setStatus(JobStatuses.state(job.phase()).name())
                .setError(error == null ? null : new ErrorInfo(error.code(), error.message()))
                .build());
    }

    private HookCall.Builder call(JobProgress job, HookKind kind, String url, String key) {
        return HookCall.newBuilder()
                .setJobId(job.jobId())
                .setVideoId(job.videoId())
                .setKind(kind)
                .setUrl(url)
                .setIdempotencyKey(key)
                .setCreatedAtMs(clock.getAsLong());
    }

    /**
     * @param jobId job id
     * @param op    op name
     * @param index segment index within the op
     * @return idempotency key of a SEGMENT call: {@code <job_id>/segment/<op>/<index>}
     */
    static String segmentKey(String jobId, String op, int index) {
        return jobId + "/segment/" + op + "/" + index;
    }

    /**
     * @param jobId job id
     * @param op    op name
     * @return idempotency key of an OP_RESULT call: {@code <job_id>/op-result/<op>}
     */
    static String opResultKey(String jobId, String op) {
        return jobId + "/op-result/" + op;
    }

    /**
     * @param jobId job id
     * @return idempotency key of a RESULT call: {@code <job_id>/result}
     */
    static String resultKey(String jobId) {
        return jobId + "/result";
    }
}
