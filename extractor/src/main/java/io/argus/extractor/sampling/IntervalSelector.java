package io.argus.extractor.sampling;

import org.bytedeco.javacv.Frame;

/**
 * The {@code uniform} pattern, mode 0 (DESIGN.md "Sampling"): keeps the first frame at or after
 * each target offset, targets at {@code start + k * interval} ms, anchored at the start so they
 * never drift; when frames are sparser than the interval, targets already passed are skipped.
 * Not thread-safe.
 */
final class IntervalSelector implements FrameSelector {

    private final long intervalMs;
    private long nextTargetMs;

    /**
     * @param startMs    first target, ms
     * @param intervalMs interval between targets, ms, &gt; 0
     */
    IntervalSelector(long startMs, long intervalMs) {
        this.intervalMs = intervalMs;
        this.nextTargetMs = startMs;
    }

    /**
     * @param offsetMs offset of a decoded frame, ms, non-decreasing over calls
     * @return true when the frame is kept
     */
    boolean accept(long offsetMs) {
        if (offsetMs < nextTargetMs) {
            return false;
        }
        long behind = offsetMs - nextTargetMs;
        nextTargetMs += (behind / intervalMs + 1) * intervalMs;
        return true;
    }

    @Override
    public boolean accept(long offsetMs, boolean keyframe, Frame bgr) {
        return accept(offsetMs);
    }
}
