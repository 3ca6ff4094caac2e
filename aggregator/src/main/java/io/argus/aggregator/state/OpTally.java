package io.argus.aggregator.state;

/**
 * One op's counters within its job, the numbers job status and op results report, and the first
 * error the op gave on a frame. Mutable; part of {@link JobProgress}.
 *
 * <p>{@code firstError} was added later and is optional in the stored JSON, so state written by an
 * older version stays readable (its failed frames then have no message).
 */
public final class OpTally {

    private long processed;
    private long failed;
    private boolean done;
    private boolean terminated;
    private String firstError;

    /** A tally with nothing processed. */
    public OpTally() {
    }

    /**
     * Counts one result processed in sequence order (DESIGN.md "Argus semantics": results are
     * deduplicated by (job, op, sequence), so each sequence number counts once).
     *
     * @param failedFrame true when the op failed on the frame
     */
    public void countProcessed(boolean failedFrame) {
        processed++;
        if (failedFrame) {
            failed++;
        }
    }

    /**
     * Counts one result processed in sequence order and keeps the first error message the op gave
     * (FrameResult.error).
     *
     * @param error why the op failed on the frame, or null when it did not fail
     */
    public void countProcessed(String error) {
        countProcessed(error != null);
        if (error != null && firstError == null) {
            firstError = error;
        }
    }

    /**
     * Marks the op done: every frame processed, or stopped early by its terminate rule.
     *
     * @param byTerminate true when the terminate rule stopped the op
     */
    public void markDone(boolean byTerminate) {
        done = true;
        terminated = byTerminate;
    }

    /** @return results processed (frames of the op result) */
    public long processed() {
        return processed;
    }

    /** @return processed results whose op failed on the frame */
    public long failed() {
        return failed;
    }

    /** @return the error message of the first frame the op failed on, or null (none, or not recorded) */
    public String firstError() {
        return firstError;
    }

    /**
     * @return true when the op processed at least one frame and failed on every one of them; such an
     *         op fails its job once every op is done ({@link JobProgress#opFailure()})
     */
    public boolean failedOnEveryFrame() {
        return processed > 0 && failed == processed;
    }

    /** @return true once the op's result was written */
    public boolean done() {
        return done;
    }

    /** @return true when the op stopped early by its terminate rule */
    public boolean terminated() {
        return terminated;
    }
}
