package io.argus.aggregator.topology;

import java.util.List;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.argus.aggregator.rules.FrameVerdict;
import io.argus.aggregator.rules.SegmentBuilder;
import io.argus.aggregator.rules.SegmentDraft;
import io.argus.aggregator.rules.TerminateCounter;
import io.argus.aggregator.state.CutData;
import io.argus.aggregator.state.JobProgress;
import io.argus.aggregator.state.OpState;
import io.argus.aggregator.state.OpTally;
import io.argus.aggregator.state.ResultData;
import io.argus.aggregator.state.SegmentData;
import io.argus.schemas.avro.OpResult;
import io.argus.schemas.avro.Segment;
import io.argus.schemas.metrics.DroppedRecords;

/**
 * Applies the rules of DESIGN.md "Argus semantics" to one op's results in sequence order: label
 * selection, segments (emitted as they close), early terminate, and the op result when the op is
 * done. Results are deduplicated by (job, op, seq) and out-of-order ones wait in the pending store
 * until the missing sequence numbers arrive.
 *
 * <p>Output per op: each segment as it closes, followed by its SEGMENT callback; a CUT
 * frame-cutting event ({@link VframeEvents#kept}) for each kept frame as it joins a segment, after
 * the segment that frame closed, if any; when the op is done, its op result, then a STOP_OP command
 * on the control topic if its terminate rule stopped it (so ingest stops sending it frames; once per
 * op, as an op finishes once), then its OP_RESULT callback.
 *
 * <p>Reads and writes the op's state through {@link AggregatorStores}; updates the op's
 * {@link OpTally} inside the given {@link JobProgress}, which the caller saves.
 */
final class OpAggregator {

    private static final Logger LOG = LoggerFactory.getLogger(OpAggregator.class);

    private final AggregatorStores stores;
    private final Emitter out;
    private final HookCalls hooks;
    private final VframeEvents vframes;
    private final LongSupplier clock;
    private final DroppedRecords drops;

    /**
     * @param stores  the op stores
     * @param out     where segments, op results and STOP_OP commands go
     * @param hooks   the callbacks of segments and op results
     * @param vframes the CUT events of kept frames
     * @param clock   wall clock, ms since the epoch
     */
    OpAggregator(AggregatorStores stores, Emitter out, HookCalls hooks, VframeEvents vframes, LongSupplier clock,
                 DroppedRecords drops) {
        this.drops = drops;
        this.stores = stores;
        this.out = out;
        this.hooks = hooks;
        this.vframes = vframes;
        this.clock = clock;
    }

    /**
     * Starts an op at BEGIN: processes results that arrived before BEGIN (in sequence order, from
     * 0) and finishes the op if it is already complete.
     *
     * @param job   the job, begun
     * @param state the op's fresh state
     */
    void start(JobProgress job, OpState state) {
        drain(job, state);
        finishIfComplete(job, state);
        save(job, state);
    }

    /**
     * Offers one result of a begun job. A result below the op's next sequence number (already
     * processed), at or beyond END's count, or for a done op is dropped; one above it is buffered
     * unless already buffered; the next one in sequence is processed, followed by the buffered
     * results that now follow in sequence.
     *
     * @param job    the job, begun and not final
     * @param result the result
     * @return true when at least one result was processed (progress to report)
     */
    boolean offer(JobProgress job, ResultData result) {
        OpTally tally = job.op(result.op());
        if (tally == null) {
            LOG.warn("Job {}: result for op {} that the job does not run; dropped", job.jobId(), result.op());
            drops.count("unknown_op");
            return false;
        }
        if (tally.done()) {
            return false;
        }
        OpState state = stores.op(job.jobId(), result.op());
        if (state == null) {
            LOG.warn("Job {}: no state for op {}; result {} dropped", job.jobId(), result.op(), result.seq());
            drops.count("no_op_state");
            return false;
        }
        if (result.seq() < state.nextSeq() || (job.endSeen() && result.seq() >= job.endSeq())) {
            drops.count("duplicate_or_after_end");
            LOG.debug("Job {} op {}: result {} dropped (duplicate or beyond END)", job.jobId(), result.op(), result.seq());
            return false;
        }
        if (result.seq() > state.nextSeq()) {
            if (!stores.bufferIfAbsent(job.jobId(), result)) {
                LOG.debug("Job {} op {}: result {} already buffered", job.jobId(), result.op(), result.seq());
            }
            return false;
        }
        apply(job, state, tally, result);
        drain(job, state);
        finishIfComplete(job, state);
        save(job, state);
        return true;
    }

    /**
     * At END without error: finishes the op if every result below END's count was processed.
     *
     * @param job the job, END applied
     * @param op  op name
     * @return true when the op finished now
     */
    boolean onEnd(JobProgress job, String op) {
        OpTally tally = job.op(op);
        if (tally.done()) {
            return false;
        }
        OpState state = stores.op(job.jobId(), op);
        boolean finished = finishIfComplete(job, state);
        save(job, state);
        return finished;
    }

    /**
     * At KILL: finishes the op as it stands when it is not done: its open segment closes, its
     * result covers the results processed so far (buffered ones are not), not terminated.
     *
     * @param job the job, begun and not final
     * @param op  op name
     * @return true when the op finished now, false when it was already done
     */
    boolean stop(JobProgress job, String op) {
        OpTally tally = job.op(op);
        if (tally == null || tally.done()) {
            return false;
        }
        OpState state = stores.op(job.jobId(), op);
        if (state == null) {
            LOG.warn("Job {}: no state for op {} at KILL; its result is empty", job.jobId(), op);
            state = new OpState(op, List.of(), false, null);
        }
        finish(job, state, tally, false);
        return true;
    }

    private void drain(JobProgress job, OpState state) {
        OpTally tally = job.op(state.op());
        while (!tally.done() && !(job.endSeen() && state.nextSeq() >= job.endSeq())) {
            ResultData next = stores.takePending(job.jobId(), state.op(), state.nextSeq());
            if (next == null) {
                return;
            }
            apply(job, state, tally, next);
        }
    }

    private boolean finishIfComplete(JobProgress job, OpState state) {
        OpTally tally = job.op(state.op());
        if (!tally.done() && job.endSeen() && state.nextSeq() >= job.endSeq()) {
            finish(job, state, tally, false);
            return true;
        }
        return false;
    }

    private void save(JobProgress job, OpState state) {
        if (!job.op(state.op()).done()) {
            stores.putOp(job.jobId(), state);
        }
    }

    /** Rules 1 to 6 on the next result in sequence. */
    private void apply(JobProgress job, OpState state, OpTally tally, ResultData r) {
        state.advance();
        tally.countProcessed(r.error());
        FrameVerdict verdict = r.failed() ? FrameVerdict.failed() : state.selector().select(r.labels());
        SegmentBuilder segments = state.segments();
        segments.seen(r.offsetMs());
        TerminateCounter counter = state.counter();
        if (verdict.kept()) {
            SegmentBuilder.Step step = segments.add(verdict.labels(), r.offsetMs());
            step.closedSegment().ifPresent(closed -> close(job, state, closed, counter));
            CutData cut = new CutData(r.offsetMs(), r.uri(), r.resultJson());
            stores.putCut(job.jobId(), state.op(), step.index(), step.cut(), cut);
            vframes.kept(job, state.op(), r.seq(), step.index(), cut, verdict.labels());
            counter.onKeptFrame(verdict.labels().keySet());
        } else {
            segments.close().ifPresent(closed -> close(job, state, closed, counter));
        }
        state.save(segments);
        if (counter.reached()) {
            LOG.debug("Job {} op {}: terminated at result {}", job.jobId(), state.op(), r.seq());
            finish(job, state, tally, true);
        }
    }

    /** Rule 5: a closed segment is stored for the op result and emitted at once. */
    private void close(JobProgress job, OpState state, SegmentDraft draft, TerminateCounter counter) {
        List<CutData> cuts = stores.takeCuts(job.jobId(), state.op(), draft.index());
        SegmentData segment = new SegmentData(draft.index(), draft.offsetBegin(), draft.offsetEnd(),
                draft.labels(), cuts);
        stores.putSegment(job.jobId(), state.op(), segment);
        state.addVideoLabels(draft.labels());
        counter.onSegmentClosed(draft.names());
        Segment record = AvroMapping.segment(job, state.op(), segment);
        out.segment(record);
        hooks.segmentClosed(job, state, record);
    }

    /**
     * Rule 7: closes the open segment, emits the op result (and its callback), STOP_OP when
     * terminated, and forgets the op's state.
     */
    private void finish(JobProgress job, OpState state, OpTally tally, boolean terminated) {
        SegmentBuilder segments = state.segments();
        TerminateCounter counter = state.counter();
        segments.close().ifPresent(closed -> close(job, state, closed, counter));
        state.save(segments);
        tally.markDone(terminated);
        OpResult result = AvroMapping.opResult(job, state, tally, stores.segmentsOf(job.jobId(), state.op()));
        out.opResult(result);
        if (terminated) {
            out.control(JobControls.stopOp(job, state.op(), clock.getAsLong()));
        }
        hooks.opFinished(job, state, result);
        stores.forgetOp(job.jobId(), state.op());
    }
}
