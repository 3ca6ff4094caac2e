package io.argus.aggregator.rules;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What label selection decided about one frame (DESIGN.md "Argus semantics", Label selection).
 *
 * @param outcome why the frame is kept or rejected
 * @param labels  surviving labels, name to score in [0, 1], in first-seen order; empty unless
 *                {@code outcome} is {@link Outcome#LABELLED}
 */
public record FrameVerdict(Outcome outcome, Map<String, Float> labels) {

    /** Why a frame is kept or rejected. */
    public enum Outcome {
        /** Kept: at least one label survived selection. */
        LABELLED,
        /** Kept as an empty frame: the op gave no label and ignore_empty_labels is false. */
        EMPTY,
        /** Rejected: the op gave labels but selection removed them all. */
        SELECTED_OUT,
        /** Rejected: the op gave no label and ignore_empty_labels is true. */
        EMPTY_IGNORED,
        /** Rejected: the op failed on the frame. */
        FAILED
    }

    /** Copies the labels so the verdict is immutable. */
    public FrameVerdict {
        labels = Collections.unmodifiableMap(new LinkedHashMap<>(labels));
    }

    /** @return a verdict for a frame the op failed on */
    public static FrameVerdict failed() {
        return new FrameVerdict(Outcome.FAILED, Map.of());
    }

    /** @return true when the frame joins a segment (labelled or empty), false when rejected */
    public boolean kept() {
        return outcome == Outcome.LABELLED || outcome == Outcome.EMPTY;
    }
}
