package io.argus.aggregator.rules;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A segment being built, or just closed: a run of consecutive kept frames with the same set of
 * label names (DESIGN.md "Argus semantics", Segments). The frames themselves (cuts) are kept by
 * the caller, numbered 0, 1, 2… within the segment.
 *
 * @param index       0-based position of the segment within the op (order of closing)
 * @param labels      each label name with its maximum score in [0, 1] over the segment's frames;
 *                    empty for a segment of empty frames
 * @param offsetBegin offset in ms of the first frame
 * @param offsetEnd   offset in ms of the last frame
 * @param frames      number of frames (cuts), at least 1
 */
public record SegmentDraft(int index, Map<String, Float> labels, long offsetBegin, long offsetEnd, int frames) {

    /** Copies the labels so the draft is immutable. */
    public SegmentDraft {
        labels = Collections.unmodifiableMap(new LinkedHashMap<>(labels));
    }

    /**
     * @param index    the segment's index
     * @param labels   labels of its first frame
     * @param offsetMs offset in ms of its first frame
     * @return a one-frame segment
     */
    public static SegmentDraft start(int index, Map<String, Float> labels, long offsetMs) {
        return new SegmentDraft(index, labels, offsetMs, offsetMs, 1);
    }

    /**
     * @param frameLabels labels of the frame added, with the same names as this segment's
     * @param offsetMs    offset in ms of the frame added
     * @return this segment with one more frame, each label keeping its maximum score
     */
    public SegmentDraft plus(Map<String, Float> frameLabels, long offsetMs) {
        Map<String, Float> merged = new LinkedHashMap<>(labels);
        frameLabels.forEach((name, score) -> merged.merge(name, score, Math::max));
        return new SegmentDraft(index, merged, offsetBegin, offsetMs, frames + 1);
    }

    /** @return the set of label names that identifies the segment (scores ignored) */
    public Set<String> names() {
        return labels.keySet();
    }
}
