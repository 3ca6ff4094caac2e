package io.argus.extractor.sampling;

import java.util.Arrays;
import java.util.Random;

import org.bytedeco.javacv.Frame;

/**
 * The {@code random} pattern: {@code count} target offsets drawn once from the container
 * duration with a seeded {@link Random}, sorted; each target takes the first decoded frame at or
 * after it that no earlier target took (targets closer together than the frame spacing spill
 * onto the following frames, so the frames are distinct). Decoding stops after the last target.
 * Fewer than {@code count} frames come out when the file ends before its container duration
 * (truncated files, headers that lie) or when the last targets crowd into the last frames.
 *
 * <p>{@link Random} is used because its algorithm is fixed by the Java SE specification, so a
 * seed gives the same offsets on every JVM. Not thread-safe.
 */
final class RandomSelector implements FrameSelector {

    private final long[] targets;
    private int next;

    /** @param targets sorted target offsets, ms */
    RandomSelector(long[] targets) {
        this.targets = targets;
    }

    /**
     * Draws the targets: {@code start + floor(u * span)} with {@code u} from
     * {@link Random#nextDouble()} and {@code span} ending one frame period (1000 / fps ms)
     * before {@code end}, because no frame starts during the last frame's display time and a
     * target there would get no frame; 1 ms before when the frame rate is unknown.
     *
     * @param startMs start of the range, ms, &gt;= 0
     * @param endMs   end of the range (exclusive), ms
     * @param fps     container frame rate, or 0 when unknown
     * @param count   number of targets, &gt;= 1
     * @param seed    the seed
     * @return {@code count} sorted targets in [start, end), or none when end &lt;= start
     */
    static long[] targets(long startMs, long endMs, double fps, int count, long seed) {
        if (endMs <= startMs) {
            return new long[0];
        }
        double periodMs = fps > 0 ? 1000.0 / fps : 1;
        long last = Math.max(startMs, Math.min(endMs - 1, (long) Math.floor(endMs - periodMs)));
        long span = last - startMs + 1;
        Random random = new Random(seed);
        long[] out = new long[count];
        for (int i = 0; i < count; i++) {
            out[i] = startMs + Math.min(span - 1, (long) Math.floor(random.nextDouble() * span));
        }
        Arrays.sort(out);
        return out;
    }

    @Override
    public boolean accept(long offsetMs, boolean keyframe, Frame bgr) {
        if (next < targets.length && offsetMs >= targets[next]) {
            next++;
            return true;
        }
        return false;
    }

    @Override
    public boolean done() {
        return next >= targets.length;
    }
}
