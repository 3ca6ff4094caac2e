package io.argus.extractor.sampling;

import org.bytedeco.javacv.Frame;

/**
 * The selection logic of one {@link SamplingSpec.Pattern}: shown every decoded frame of the
 * sampled range in decoding order, it says which ones to keep. Not thread-safe: one per sampler.
 */
interface FrameSelector {

    /**
     * @return true when {@link #accept} needs the BGR pixels of every frame (the sampler then
     *         converts every decoded frame instead of the kept ones only)
     */
    default boolean needsPixels() {
        return false;
    }

    /**
     * @param offsetMs offset of the decoded frame in ms, non-decreasing over calls
     * @param keyframe true when the decoder flagged the frame as a keyframe
     * @param bgr      the frame as BGR24 when {@link #needsPixels()}, else null (its buffer is the
     *                 grabber's: read it during the call only)
     * @return true when the frame is kept
     */
    boolean accept(long offsetMs, boolean keyframe, Frame bgr);

    /** @return true when no later frame can be accepted, so decoding may stop */
    default boolean done() {
        return false;
    }

    /**
     * @param spec       the spec to apply
     * @param durationMs container duration in ms, or -1 when unknown
     * @param fps        container frame rate, or 0 when unknown
     * @return the selector of the spec's pattern
     * @throws IllegalArgumentException for {@code random} when no end is known (see
     *                                  {@link SamplingSpec#randomTargets})
     */
    static FrameSelector of(SamplingSpec spec, long durationMs, double fps) {
        return switch (spec.pattern()) {
            case UNIFORM -> new IntervalSelector(spec.startMs(), spec.intervalMs());
            case KEYFRAME -> new KeyframeSelector();
            case RANDOM -> new RandomSelector(spec.randomTargets(durationMs, fps));
            case SCENE -> new SceneSelector(spec.threshold());
        };
    }
}
