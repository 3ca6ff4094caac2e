package io.argus.aggregator.topology;

import java.util.Map;
import java.util.function.LongSupplier;

import io.argus.aggregator.state.CutData;
import io.argus.aggregator.state.ErrorData;
import io.argus.aggregator.state.JobProgress;
import io.argus.schemas.avro.Cut;
import io.argus.schemas.avro.ErrorInfo;
import io.argus.schemas.avro.VframeEvent;
import io.argus.schemas.avro.VframeKind;

/**
 * Makes a job's frame-cutting events (spec argus-video-api.md, Argus-Vframe: CALLBACK
 * /v1/vframe/begin, /v1/vframe/cut, /v1/vframe/end) as {@link VframeEvent} records for the vframes
 * topic:
 * <ul>
 *   <li>BEGIN, with the job's ops, when its BEGIN marker is applied (the job becomes DOING);</li>
 *   <li>CUT, when an op keeps a frame (label select passed, DESIGN.md "Argus semantics") and adds
 *       it to a segment: op, seq, segment index, the cut (offset ms, URI, raw result) and the
 *       surviving labels with their scores;</li>
 *   <li>END, with the final state and error, when the job becomes final (FINISHED, FAILED or
 *       CANCELLED).</li>
 * </ul>
 * Each event follows a state transition, not an input record: BEGIN is applied once, a (job, op,
 * seq) result is processed once (duplicates and redelivered results are dropped before they reach
 * the rules) and a job becomes final once; so each event is written once per job, inside the
 * aggregator's transaction. A job killed before its BEGIN marker gets an END only. {@code at_ms} is
 * the wall clock when the event is made, ms since the epoch.
 */
final class VframeEvents {

    private final Emitter out;
    private final LongSupplier clock;

    /**
     * @param out   where the events go
     * @param clock wall clock, ms since the epoch
     */
    VframeEvents(Emitter out, LongSupplier clock) {
        this.out = out;
        this.clock = clock;
    }

    /**
     * The job's BEGIN marker was applied: a BEGIN event with its ops in request order.
     *
     * @param job the job, just begun
     */
    void begun(JobProgress job) {
        out.vframe(event(job, VframeKind.BEGIN).setOps(job.opNames()).build());
    }

    /**
     * An op kept a frame and added it to a segment: a CUT event.
     *
     * @param job          the job
     * @param op           op name
     * @param seq          0-based frame sequence number
     * @param segmentIndex index of the segment the frame joined
     * @param cut          the frame as stored for the segment (offset in ms, URI, raw result)
     * @param labels       the labels that survived selection, name to score in [0, 1], in order
     */
    void kept(JobProgress job, String op, long seq, int segmentIndex, CutData cut, Map<String, Float> labels) {
        out.vframe(event(job, VframeKind.CUT)
                .setOp(op)
                .setSeq(seq)
                .setSegmentIndex(segmentIndex)
                .setCut(new Cut(cut.offsetMs(), cut.uri(), cut.resultJson()))
                .setLabels(AvroMapping.labels(labels))
                .build());
    }

    /**
     * The job became final: an END event with its state and, for FAILED, the error.
     *
     * @param job the job, final
     * @throws IllegalStateException when the job is not final
     */
    void over(JobProgress job) {
        if (!job.isFinal()) {
            throw new IllegalStateException("job " + job.jobId() + " is not over: " + job.phase());
        }
        ErrorData error = job.error();
        out.vframe(event(job, VframeKind.END)
                .setStatus(JobStatuses.state(job.phase()).name())
                .setError(error == null ? null : new ErrorInfo(error.code(), error.message()))
                .build());
    }

    private VframeEvent.Builder event(JobProgress job, VframeKind kind) {
        return VframeEvent.newBuilder()
                .setJobId(job.jobId())
                .setVideoId(job.videoId())
                .setKind(kind)
                .setAtMs(clock.getAsLong());
    }
}
