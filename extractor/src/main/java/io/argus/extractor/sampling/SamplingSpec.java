package io.argus.extractor.sampling;

import java.util.Locale;

/**
 * How frames are sampled from a source: a {@link Pattern} with its parameters, an optional
 * start/duration range, and an optional flow pair for every sampled frame.
 *
 * <p>{@code params.vframe} of a job request maps onto the first two patterns (mode 0 is
 * {@link Pattern#UNIFORM}, mode 1 is {@link Pattern#KEYFRAME}) through
 * {@link #SamplingSpec(boolean, long, long, long)}; the frame &amp; flow service
 * ({@code specs/frame-flow-api.md}) adds {@link Pattern#RANDOM} and {@link Pattern#SCENE}.
 * Parameters a pattern does not use are ignored and not validated (e.g. {@code count} for
 * {@code uniform}).
 *
 * <p>Live sources ({@link LiveSampler}) only support {@code uniform} and {@code keyframe} without
 * pairs; {@link FrameSource#open} rejects the other combinations for them.
 *
 * @param pattern    which frames to select; not null
 * @param intervalMs {@code uniform}: ms between targets, &gt; 0 (also required, and ignored, for
 *                   the other patterns; the factories pass {@link #DEFAULT_INTERVAL_MS})
 * @param startMs    start time (ss) in ms from the source start, &gt;= 0
 * @param durationMs duration (t) in ms after the start, or any negative value for "to the end"
 * @param count      {@code random}: number of frames, in [1, {@link #MAX_RANDOM_COUNT}]
 * @param seed       {@code random}: seed of the offsets; the same seed on the same source gives
 *                   the same frames
 * @param threshold  {@code scene}: shot-change threshold on the thumbnail difference, in (0, 1]
 *                   (see {@link SceneSelector}); {@link #DEFAULT_SCENE_THRESHOLD} by default
 * @param pairGap    flow pairs: 0 for none, else how many decoded frames after each sampled
 *                   frame its pair is (1 = the next decoded frame), in [0, {@link #MAX_PAIR_GAP}]
 */
public record SamplingSpec(Pattern pattern, long intervalMs, long startMs, long durationMs,
                           int count, long seed, double threshold, int pairGap) {

    /** Default interval of mode 0: 5 s (argus-video-api.md, params.vframe). */
    public static final long DEFAULT_INTERVAL_MS = 5000;

    /**
     * Default {@code scene} threshold: 0.1 on the mean absolute luma difference of 64×36
     * thumbnails between consecutive decoded frames (range [0, 1], see {@link FrameSampler}).
     * Measured on these machines: the four shot changes of Megamind.avi score 0.131 (black
     * opening frame to the first shot), 0.160, 0.166 and 0.174, and its highest frame within a
     * shot 0.016; tree.avi (one shot, a hand moving in, frames ~0.4 s apart) peaks at 0.069;
     * vtest.avi (fixed camera, pedestrians) at 0.014; a still vtest frame encoded as a 5 s MPEG-4
     * clip at 0.0002. 0.1 sits between the in-shot motion of tree.avi and the weakest cut, with
     * a margin of about 0.03 on either side.
     */
    public static final double DEFAULT_SCENE_THRESHOLD = 0.1;

    /**
     * Most frames a {@code random} request may ask for: 100,000, above the 90,000 frames of an
     * hour at 25 fps; bounds the memory of the sorted targets (8 bytes each).
     */
    public static final int MAX_RANDOM_COUNT = 100_000;

    /**
     * Largest pair gap: 25 decoded frames (1 s at 25 fps). Up to {@code pairGap + 1} sampled
     * frames and their pairs are held as copies while the decoder runs ahead (about 1.3 MB each
     * at 768×576), and optical flow between frames further apart is of little use.
     */
    public static final int MAX_PAIR_GAP = 25;

    /** What a {@link SamplingSpec} selects. */
    public enum Pattern {
        /** One frame per interval: the first decoded frame at or after each {@code start + k * interval}. */
        UNIFORM,
        /** Keyframes as the decoder flags them. */
        KEYFRAME,
        /** {@code count} frames at seeded random offsets in the range. */
        RANDOM,
        /** The first frame plus one frame per detected shot change. */
        SCENE;

        /** @return the name used in requests: {@code uniform}, {@code keyframe}, {@code random}, {@code scene} */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /**
         * @param name a {@link #wireName()}, case-insensitive
         * @return the pattern
         * @throws IllegalArgumentException for null or an unknown name
         */
        public static Pattern parse(String name) {
            if (name != null) {
                for (Pattern p : values()) {
                    if (p.wireName().equalsIgnoreCase(name.trim())) {
                        return p;
                    }
                }
            }
            throw new IllegalArgumentException("unknown pattern " + name + "; allowed: uniform, keyframe, random, scene");
        }
    }

    /**
     * Validates the components (described on the record).
     *
     * @param pattern    the pattern, not null
     * @param intervalMs interval in ms, &gt; 0
     * @param startMs    start in ms, &gt;= 0
     * @param durationMs duration in ms, negative for "to the end"
     * @param count      random: number of frames
     * @param seed       random: seed
     * @param threshold  scene: threshold
     * @param pairGap    pair gap in decoded frames
     * @throws IllegalArgumentException for a null pattern, a non-positive interval, a negative
     *                                  start, a pair gap outside [0, {@link #MAX_PAIR_GAP}], and
     *                                  for the pattern in use a count outside [1,
     *                                  {@link #MAX_RANDOM_COUNT}] (random) or a threshold outside
     *                                  (0, 1] (scene)
     */
    public SamplingSpec {
        if (pattern == null) {
            throw new IllegalArgumentException("pattern must not be null");
        }
        if (intervalMs <= 0) {
            throw new IllegalArgumentException("interval must be > 0 ms");
        }
        if (startMs < 0) {
            throw new IllegalArgumentException("start must be >= 0 ms");
        }
        if (pairGap < 0 || pairGap > MAX_PAIR_GAP) {
            throw new IllegalArgumentException("pair gap must be in [0, " + MAX_PAIR_GAP + "] frames");
        }
        if (pattern == Pattern.RANDOM && (count < 1 || count > MAX_RANDOM_COUNT)) {
            throw new IllegalArgumentException("count must be in [1, " + MAX_RANDOM_COUNT + "]");
        }
        if (pattern == Pattern.SCENE && !(threshold > 0 && threshold <= 1)) {
            throw new IllegalArgumentException("scene threshold must be in (0, 1]");
        }
    }

    /**
     * Mode 0 or mode 1 of {@code params.vframe}, without pairs (the original constructor).
     *
     * @param keyframesOnly true for mode 1 ({@link Pattern#KEYFRAME}), false for mode 0
     *                      ({@link Pattern#UNIFORM})
     * @param intervalMs    mode 0 interval in ms, &gt; 0
     * @param startMs       start time (ss) in ms, &gt;= 0
     * @param durationMs    duration (t) in ms after the start, or -1 for "to the end"
     * @throws IllegalArgumentException for a non-positive interval or a negative start
     */
    public SamplingSpec(boolean keyframesOnly, long intervalMs, long startMs, long durationMs) {
        this(keyframesOnly ? Pattern.KEYFRAME : Pattern.UNIFORM, intervalMs, startMs, durationMs,
                0, 0L, DEFAULT_SCENE_THRESHOLD, 0);
    }

    /**
     * @param intervalMs interval in ms, &gt; 0
     * @return {@code uniform} (mode 0) from the start to the end
     * @throws IllegalArgumentException for a non-positive interval
     */
    public static SamplingSpec every(long intervalMs) {
        return new SamplingSpec(false, intervalMs, 0, -1);
    }

    /** @return {@code keyframe} (mode 1) from the start to the end */
    public static SamplingSpec keyframes() {
        return new SamplingSpec(true, DEFAULT_INTERVAL_MS, 0, -1);
    }

    /**
     * @param count number of frames, in [1, {@link #MAX_RANDOM_COUNT}]
     * @param seed  seed of the offsets
     * @return {@code random} from the start to the end
     * @throws IllegalArgumentException for a count out of range
     */
    public static SamplingSpec random(int count, long seed) {
        return new SamplingSpec(Pattern.RANDOM, DEFAULT_INTERVAL_MS, 0, -1, count, seed, DEFAULT_SCENE_THRESHOLD, 0);
    }

    /** @return {@code scene} with {@link #DEFAULT_SCENE_THRESHOLD}, from the start to the end */
    public static SamplingSpec scene() {
        return scene(DEFAULT_SCENE_THRESHOLD);
    }

    /**
     * @param threshold shot-change threshold in (0, 1]; lower finds more (and falser) cuts
     * @return {@code scene} from the start to the end
     * @throws IllegalArgumentException for a threshold out of range
     */
    public static SamplingSpec scene(double threshold) {
        return new SamplingSpec(Pattern.SCENE, DEFAULT_INTERVAL_MS, 0, -1, 0, 0L, threshold, 0);
    }

    /**
     * @param startMs    start in ms, &gt;= 0
     * @param durationMs duration in ms after the start, or -1 for "to the end"
     * @return this spec over another range
     * @throws IllegalArgumentException for a negative start
     */
    public SamplingSpec withRange(long startMs, long durationMs) {
        return new SamplingSpec(pattern, intervalMs, startMs, durationMs, count, seed, threshold, pairGap);
    }

    /**
     * @param pairGap decoded frames between a sampled frame and its pair, in [0,
     *                {@link #MAX_PAIR_GAP}]; 0 for no pairs
     * @return this spec with flow pairs
     * @throws IllegalArgumentException for a gap out of range
     */
    public SamplingSpec withPairGap(int pairGap) {
        return new SamplingSpec(pattern, intervalMs, startMs, durationMs, count, seed, threshold, pairGap);
    }

    /** @return true for {@link Pattern#KEYFRAME} (mode 1) */
    public boolean keyframesOnly() {
        return pattern == Pattern.KEYFRAME;
    }

    /** @return the end of the sampled range in ms, or Long.MAX_VALUE */
    public long endMs() {
        return durationMs < 0 ? Long.MAX_VALUE : startMs + durationMs;
    }

    /**
     * The target offsets of the {@code random} pattern for a source, as {@link FrameSampler}
     * draws them; each target then takes the first decoded frame at or after it that no earlier
     * target took (see {@link FrameSampler}).
     *
     * @param sourceDurationMs container duration in ms, or -1 when unknown
     * @param fps              container frame rate, or 0 when unknown
     * @return {@code count} sorted offsets in ms inside [start, end), end being the smaller of
     *         the source duration and {@link #endMs()}; empty when the range is empty
     * @throws IllegalStateException    when the pattern is not {@code random}
     * @throws IllegalArgumentException when neither the source nor the spec gives an end
     */
    public long[] randomTargets(long sourceDurationMs, double fps) {
        if (pattern != Pattern.RANDOM) {
            throw new IllegalStateException("not a random pattern: " + pattern.wireName());
        }
        return RandomSelector.targets(startMs, rangeEndMs(sourceDurationMs), fps, count, seed);
    }

    /**
     * @param sourceDurationMs container duration in ms, or -1 when unknown
     * @return the end of the sampled range in ms: the smaller of the duration and {@link #endMs()}
     * @throws IllegalArgumentException when both are unknown
     */
    long rangeEndMs(long sourceDurationMs) {
        long end = sourceDurationMs > 0 ? Math.min(sourceDurationMs, endMs()) : endMs();
        if (end == Long.MAX_VALUE) {
            throw new IllegalArgumentException("the random pattern needs a known duration: the source has none, give one");
        }
        return end;
    }
}
