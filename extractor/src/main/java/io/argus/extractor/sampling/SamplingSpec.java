package io.argus.extractor.sampling;

/**
 * How frames are sampled from a source ({@code params.vframe} of the job request).
 *
 * @param keyframesOnly true for mode 1 (keyframes only), false for mode 0 (one frame per interval)
 * @param intervalMs    mode 0 interval in ms, &gt; 0
 * @param startMs       start time (ss) in ms from the source start, &gt;= 0
 * @param durationMs    duration (t) in ms after the start, or -1 for "to the end"
 */
public record SamplingSpec(boolean keyframesOnly, long intervalMs, long startMs, long durationMs) {

    /** Default interval of mode 0: 5 s (argus-video-api.md, params.vframe). */
    public static final long DEFAULT_INTERVAL_MS = 5000;

    /**
     * @throws IllegalArgumentException for a non-positive interval or a negative start
     */
    public SamplingSpec {
        if (intervalMs <= 0) {
            throw new IllegalArgumentException("interval must be > 0 ms");
        }
        if (startMs < 0) {
            throw new IllegalArgumentException("start must be >= 0 ms");
        }
    }

    /**
     * @param intervalMs interval in ms
     * @return mode 0 from the start to the end
     */
    public static SamplingSpec every(long intervalMs) {
        return new SamplingSpec(false, intervalMs, 0, -1);
    }

    /** @return mode 1 from the start to the end */
    public static SamplingSpec keyframes() {
        return new SamplingSpec(true, DEFAULT_INTERVAL_MS, 0, -1);
    }

    /** @return the end of the sampled range in ms, or Long.MAX_VALUE */
    public long endMs() {
        return durationMs < 0 ? Long.MAX_VALUE : startMs + durationMs;
    }
}
