package io.argus.aggregator.state;

/**
 * One op's counters within its job, the numbers job status and op results report.
 * Mutable; part of {@link JobProgress}.
 */
public final class OpTally {

    private long processed;
    private long failed;
    private boolean done;
    private boolean terminated;

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

    /** @return true once the op's result was written */
    public boolean done() {
        return done;
    }

    /** @return true when the op stopped early by its terminate rule */
    public boolean terminated() {
        return terminated;
    }
}
