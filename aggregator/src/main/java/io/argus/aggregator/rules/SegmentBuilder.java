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
 * <p>The builder's whole state is {@link #open()} and {@link #closedCount()}; pass them back to
 * the constructor to resume. Not thread-safe.
 */
public final class SegmentBuilder {

    private SegmentDraft open;
    private int closedCount;

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
     * Adds a kept frame (rule 4).
     *
     * @param labels   the frame's surviving labels, name to score in [0, 1]; empty for an empty frame
     * @param offsetMs the frame's offset in ms
     * @return the segment closed by this frame, if any, and where the frame went
     */
    public Step add(Map<String, Float> labels, long offsetMs) {
        SegmentDraft closed = null;
        if (open != null && !open.names().equals(labels.keySet())) {
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
