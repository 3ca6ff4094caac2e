package io.argus.aggregator.rules;

import java.util.Map;
import java.util.Optional;

/**
 * Builds one op's segments from its frames in sequence order (DESIGN.md "Argus semantics",
 * Segments): a kept frame joins the open segment when its set of label names equals the segment's
 * (scores ignored), otherwise it closes the open segment and opens a new one; a rejected frame
 * closes the open segment. Empty frames (no labels) have the empty set, so consecutive empty frames
 * share one segment. Segments are numbered 0, 1, 2… in the order they close.
 *
 * <p>Segments can also be cut by time ({@link Windows}): the original Argus's fixed-length
 * segments ({@code params.segment.interval}, windows anchored at the op's first frame; DESIGN.md
 * "Segments"), and a longest segment ({@code params.segment.max_duration}), so a live camera whose
 * labels never change still closes segments and its segment hooks keep coming.
 *
 * <p>The builder's whole state is {@link #open()}, {@link #closedCount()} and the windows' anchor;
 * pass them back to the constructor to resume. Not thread-safe.
 */
public final class SegmentBuilder {

    /**
     * Time limits of segments.
     *
     * @param intervalMs window length in ms (&gt; 0), or null for no windows: a segment never spans
     *                   two windows {@code [anchor + k·interval, anchor + (k+1)·interval)}
     * @param maxMs      longest segment in ms (&gt; 0), or null: a frame at
     *                   {@code offset − offset_begin >= maxMs} closes the open segment and opens
     *                   the next
     * @param anchorMs   offset of the op's first frame in ms, or null until it is seen
     */
    public record Windows(Long intervalMs, Long maxMs, Long anchorMs) {
        /** No time limits. */
        public static final Windows NONE = new Windows(null, null, null);

        /** Validates. */
        public Windows {
            if (intervalMs != null && intervalMs <= 0 || maxMs != null && maxMs <= 0) {
                throw new IllegalArgumentException("segment interval and max must be positive ms");
            }
        }

        /** @return the same limits anchored at {@code offsetMs} if not anchored yet */
        public Windows anchoredAt(long offsetMs) {
            return anchorMs != null ? this : new Windows(intervalMs, maxMs, offsetMs);
        }

        /** @return true when a frame at {@code offsetMs} may not join a segment begun at {@code beginMs} */
        boolean splits(long beginMs, long offsetMs) {
            if (maxMs != null && offsetMs - beginMs >= maxMs) {
                return true;
            }
            if (intervalMs != null) {
                long anchor = anchorMs == null ? beginMs : anchorMs;
                return Math.floorDiv(offsetMs - anchor, intervalMs) != Math.floorDiv(beginMs - anchor, intervalMs);
            }
            return false;
        }
    }

    private SegmentDraft open;
    private int closedCount;
    private Windows windows = Windows.NONE;

    /** A builder with no segment yet. */
    public SegmentBuilder() {
        this(null, 0);
    }

    /**
     * Resumes a builder.
     *
     * @param open        the open segment, or null
     * @param closedCount segments closed so far (the index the open segment will get)
     */
    public SegmentBuilder(SegmentDraft open, int closedCount) {
        this.open = open;
        this.closedCount = closedCount;
    }

    /**
     * Resumes a builder with time limits.
     *
     * @param open        the open segment, or null
     * @param closedCount segments closed so far
     * @param windows     time limits and their anchor
     */
    public SegmentBuilder(SegmentDraft open, int closedCount, Windows windows) {
        this(open, closedCount);
        this.windows = windows;
    }

    /**
     * Notes a frame of the op in sequence order, kept or not: the first one anchors the windows.
     *
     * @param offsetMs the frame's offset in ms
     */
    public void seen(long offsetMs) {
        windows = windows.anchoredAt(offsetMs);
    }

    /** @return the time limits, anchored once a frame was seen */
    public Windows windows() {
        return windows;
    }

    /**
     * What adding a kept frame did.
     *
     * @param closed the segment the frame closed (its label set differed), or null
     * @param index  index of the segment the frame was added to
     * @param cut    0-based position of the frame within that segment
     */
    public record Step(SegmentDraft closed, int index, int cut) {

        /** @return the segment the frame closed, if any */
        public Optional<SegmentDraft> closedSegment() {
            return Optional.ofNullable(closed);
        }
    }

    /**
     * Adds a kept frame (rule 4); it also closes the open segment when the frame falls in another
     * time window or past the longest segment ({@link Windows}).
     *
     * @param labels   the frame's surviving labels, name to score in [0, 1]; empty for an empty frame
     * @param offsetMs the frame's offset in ms
     * @return the segment closed by this frame, if any, and where the frame went
     */
    public Step add(Map<String, Float> labels, long offsetMs) {
        SegmentDraft closed = null;
        windows = windows.anchoredAt(offsetMs);
        if (open != null && (!open.names().equals(labels.keySet()) || windows.splits(open.offsetBegin(), offsetMs))) {
            closed = close().orElseThrow();
        }
        open = open == null ? SegmentDraft.start(closedCount, labels, offsetMs) : open.plus(labels, offsetMs);
        return new Step(closed, open.index(), open.frames() - 1);
    }

    /**
     * Closes the open segment: on a rejected frame, on terminate, and when the op is done.
     *
     * @return the segment closed, or empty when none was open
     */
    public Optional<SegmentDraft> close() {
        if (open == null) {
            return Optional.empty();
        }
        SegmentDraft closed = open;
        open = null;
        closedCount++;
        return Optional.of(closed);
    }

    /** @return the open segment, or null */
    public SegmentDraft open() {
        return open;
    }

    /** @return how many segments have closed */
    public int closedCount() {
        return closedCount;
    }
}
