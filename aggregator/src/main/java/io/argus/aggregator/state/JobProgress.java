package io.argus.aggregator.state;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A job as the aggregator sees it, keyed by job id: what its BEGIN marker said, how far its frames
 * and results got, and its state. Every job-status record is made from this object alone
 * ({@code io.argus.aggregator.topology.JobStatuses}), so an interactive query of the job store
 * returns the last status emitted.
 *
 * <p>Phases: {@link Phase#AWAITING_BEGIN} (results or frames came before BEGIN; nothing emitted
 * yet) -&gt; {@link Phase#DOING} -&gt; {@link Phase#FINISHED} (every op done) or {@link Phase#FAILED}
 * (END carried an error, or every op done and one of them failed on every frame it processed,
 * {@link #opFailure()}); a KILL moves a job that is not final to {@link Phase#CANCELLED}, from
 * AWAITING_BEGIN as well. FINISHED, FAILED and CANCELLED are final. Mutable.
 *
 * <p>Fields added over time ({@code hookUrl}) are optional in the stored JSON, so state written by
 * an older version stays readable.
 */
public final class JobProgress {

    /** Where the job is. */
    public enum Phase {
        /** Records arrived before the BEGIN marker; the job's ops are not known yet. */
        AWAITING_BEGIN,
        /** BEGIN seen, some op not done. */
        DOING,
        /** Every op done and its result written. Final. */
        FINISHED,
        /**
         * The source failed (END with an error), or an op failed on every frame it processed. Final.
         */
        FAILED,
        /** Killed (control topic, KILL) before it finished or failed. Final. */
        CANCELLED
    }

    private String jobId;
    private String videoId = "";
    private Phase phase = Phase.AWAITING_BEGIN;
    private boolean begun;
    private String requestJson = "";
    private long createdAt;
    private long updatedAt;
    private LinkedHashMap<String, OpTally> ops = new LinkedHashMap<>();
    private long framesSampled;
    private long framesExpected = -1;
    private long endSeq = -1;
    private ErrorData error;
    private String hookUrl;

    /** HTTP code of the error of a job whose op failed on every frame ({@link #opFailure()}). */
    public static final int OP_FAILED_CODE = 500;

    private JobProgress() {
    }

    /**
     * A job first seen through a record other than BEGIN.
     *
     * @param jobId   job id
     * @param videoId video id, or null
     * @param now     wall clock, ms since the epoch
     */
    public JobProgress(String jobId, String videoId, long now) {
        this.jobId = jobId;
        this.videoId = videoId == null ? "" : videoId;
        this.createdAt = now;
        this.updatedAt = now;
    }

    /**
     * Applies the BEGIN marker: the job's request is known and it is DOING.
     *
     * @param videoId        video id
     * @param requestJson    the request body as received
     * @param createdAt      submission time, ms since the epoch
     * @param opNames        op names in request order, without duplicates
     * @param framesExpected estimated sampled frames, -1 when unknown
     */
    public void begin(String videoId, String requestJson, long createdAt, List<String> opNames, long framesExpected) {
        begin(videoId, requestJson, createdAt, opNames, framesExpected, null);
    }

    /**
     * Applies the BEGIN marker: the job's request is known and it is DOING.
     *
     * @param videoId        video id
     * @param requestJson    the request body as received
     * @param createdAt      submission time, ms since the epoch
     * @param opNames        op names in request order, without duplicates
     * @param framesExpected estimated sampled frames, -1 when unknown
     * @param hookUrl        the request's {@code params.hookURL} (result callback), or null for none
     */
    public void begin(String videoId, String requestJson, long createdAt, List<String> opNames, long framesExpected,
                      String hookUrl) {
        this.hookUrl = hookUrl;
        this.videoId = videoId;
        this.requestJson = requestJson;
        this.createdAt = createdAt;
        this.framesExpected = framesExpected;
        this.phase = Phase.DOING;
        this.begun = true;
        for (String op : opNames) {
            ops.putIfAbsent(op, new OpTally());
        }
    }

    /**
     * Counts sampled frames (FRAME markers), robust to a marker sent twice.
     *
     * @param count frames sampled so far as the marker tells it (FRAME seq + 1, or END seq)
     */
    public void sampled(long count) {
        framesSampled = Math.max(framesSampled, count);
    }

    /**
     * Applies an END marker without error.
     *
     * @param frames number of frames ingest sent (END seq)
     */
    public void end(long frames) {
        endSeq = frames;
        sampled(frames);
    }

    /**
     * Marks the job FAILED: at an END marker with an error, or once every op is done when
     * {@link #opFailure()} gives one.
     *
     * @param reason the source's error or the op's failure
     */
    public void fail(ErrorData reason) {
        error = reason;
        phase = Phase.FAILED;
    }

    /**
     * Why the job fails although every op is done: an op that processed at least one frame and
     * failed on all of them fails the job with {@value #OP_FAILED_CODE}
     * {@code "op <name> failed on every frame: <first error>"} (the spec's error table has no entry
     * for a failing op; 500 is its code for a server-side failure). The first such op in request
     * order is named. Ops with some good frames, no frames, or stopped by their terminate rule do not
     * fail the job.
     *
     * @return the error, or null when the job finishes normally
     */
    public ErrorData opFailure() {
        for (Map.Entry<String, OpTally> e : ops.entrySet()) {
            OpTally tally = e.getValue();
            if (tally.failedOnEveryFrame()) {
                String message = "op " + e.getKey() + " failed on every frame";
                return new ErrorData(OP_FAILED_CODE,
                        tally.firstError() == null ? message : message + ": " + tally.firstError());
            }
        }
        return null;
    }

    /** Marks the job FINISHED: call once every op is done and {@link #opFailure()} is null. */
    public void finish() {
        phase = Phase.FINISHED;
    }

    /** Marks the job CANCELLED (killed): call on a job that is not final. */
    public void cancel() {
        phase = Phase.CANCELLED;
    }

    /** @param now wall clock of the latest change, ms since the epoch */
    public void touch(long now) {
        updatedAt = now;
    }

    /** @return true once BEGIN was applied (the ops are known) */
    public boolean begun() {
        return begun;
    }

    /** @return true when FINISHED, FAILED or CANCELLED: later records of the job are ignored */
    public boolean isFinal() {
        return phase == Phase.FINISHED || phase == Phase.FAILED || phase == Phase.CANCELLED;
    }

    /** @return true once an END without error was seen */
    public boolean endSeen() {
        return endSeq >= 0;
    }

    /**
     * @return true when every op is done (a job without ops is done at END)
     */
    public boolean allOpsDone() {
        if (ops.isEmpty()) {
            return endSeen();
        }
        return ops.values().stream().allMatch(OpTally::done);
    }

    /**
     * Frames whose results every op aggregated: the minimum over ops of results processed, leaving
     * out terminated ops unless every op terminated.
     *
     * @return frames analyzed, 0 without ops
     */
    public long framesAnalyzed() {
        boolean allTerminated = !ops.isEmpty() && ops.values().stream().allMatch(OpTally::terminated);
        return ops.values().stream()
                .filter(t -> allTerminated || !t.terminated())
                .mapToLong(OpTally::processed)
                .min().orElse(0);
    }

    /**
     * @param op op name
     * @return the op's tally, or null when the job has no such op
     */
    public OpTally op(String op) {
        return ops.get(op);
    }

    /** @return op names in request order */
    public List<String> opNames() {
        return List.copyOf(ops.keySet());
    }

    /** @return names of the done ops, in request order */
    public List<String> opsDone() {
        List<String> done = new ArrayList<>();
        for (Map.Entry<String, OpTally> e : ops.entrySet()) {
            if (e.getValue().done()) {
                done.add(e.getKey());
            }
        }
        return done;
    }

    /** @return job id */
    public String jobId() {
        return jobId;
    }

    /** @return video id, "" when not known yet */
    public String videoId() {
        return videoId;
    }

    /** @return where the job is */
    public Phase phase() {
        return phase;
    }

    /** @return the request body as received, "" before BEGIN */
    public String requestJson() {
        return requestJson;
    }

    /** @return submission time (from BEGIN), ms since the epoch; first sight before BEGIN */
    public long createdAt() {
        return createdAt;
    }

    /** @return wall clock of the latest change, ms since the epoch */
    public long updatedAt() {
        return updatedAt;
    }

    /** @return frames sampled so far (FRAME markers seen) */
    public long framesSampled() {
        return framesSampled;
    }

    /** @return estimated sampled frames, -1 when unknown */
    public long framesExpected() {
        return framesExpected;
    }

    /** @return frames ingest sent (END seq), -1 before END */
    public long endSeq() {
        return endSeq;
    }

    /** @return why the job failed, or null */
    public ErrorData error() {
        return error;
    }

    /**
     * @return the request's {@code params.hookURL}, where the job's result goes once it is final
     *         (CALLBACK /v1/video/result); null when the request has none or before BEGIN
     */
    public String hookUrl() {
        return hookUrl;
    }
}
