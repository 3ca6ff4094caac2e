package io.argus.aggregator.rules;

import java.util.Map;

/**
 * An op's {@code terminate} parameter (DESIGN.md "Argus semantics", Early terminate).
 *
 * @param mode   {@link #MODE_FRAMES} (1) or {@link #MODE_SEGMENTS} (2); other modes never terminate
 * @param limits label name to max count; the op stops when a label's count reaches its max.
 *               Entries with max &lt;= 0 are ignored.
 */
public record TerminateRule(int mode, Map<String, Integer> limits) {

    /** Mode 1: every surviving label on each kept frame adds 1 to that label's count. */
    public static final int MODE_FRAMES = 1;

    /** Mode 2: when a segment closes, each of its labels adds 1 to that label's count. */
    public static final int MODE_SEGMENTS = 2;

    /** Copies the limits so the rule is immutable. */
    public TerminateRule {
        limits = Map.copyOf(limits);
    }
}
