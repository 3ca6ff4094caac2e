package io.argus.aggregator.rules;

import java.util.Map;
import java.util.Set;

/**
 * Counts labels for an op's early terminate (DESIGN.md "Argus semantics", Early terminate):
 * mode 1 counts each surviving label of each kept frame, mode 2 each label of each closed segment.
 * After each frame and each segment close the caller asks {@link #reached()}; when true the op
 * stops. Only labels listed in the rule are counted.
 *
 * <p>The counter updates the counts map it was given, so the caller keeps it as state. Not
 * thread-safe.
 */
public final class TerminateCounter {

    private final TerminateRule rule;
    private final Map<String, Integer> counts;

    /**
     * @param rule   the op's rule, or null when it has none (never reached)
     * @param counts label name to count so far; updated in place
     */
    public TerminateCounter(TerminateRule rule, Map<String, Integer> counts) {
        this.rule = rule;
        this.counts = counts;
    }

    /**
     * Mode 1: a kept frame with these surviving labels.
     *
     * @param labels surviving label names of the frame (empty for an empty frame)
     */
    public void onKeptFrame(Set<String> labels) {
        count(TerminateRule.MODE_FRAMES, labels);
    }

    /**
     * Mode 2: a segment with these labels closed.
     *
     * @param labels label names of the segment
     */
    public void onSegmentClosed(Set<String> labels) {
        count(TerminateRule.MODE_SEGMENTS, labels);
    }

    private void count(int mode, Set<String> labels) {
        if (rule == null || rule.mode() != mode) {
            return;
        }
        for (String name : labels) {
            if (rule.limits().getOrDefault(name, 0) > 0) {
                counts.merge(name, 1, Integer::sum);
            }
        }
    }

    /** @return true when a listed label's count is at least its max: the op must stop */
    public boolean reached() {
        if (rule == null || (rule.mode() != TerminateRule.MODE_FRAMES && rule.mode() != TerminateRule.MODE_SEGMENTS)) {
            return false;
        }
        for (Map.Entry<String, Integer> limit : rule.limits().entrySet()) {
            if (limit.getValue() > 0 && counts.getOrDefault(limit.getKey(), 0) >= limit.getValue()) {
                return true;
            }
        }
        return false;
    }

    /** @return label name to count (the map given to the constructor) */
    public Map<String, Integer> counts() {
        return counts;
    }
}
