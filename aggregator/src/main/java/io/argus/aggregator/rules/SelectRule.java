package io.argus.aggregator.rules;

/**
 * One entry of {@code ops[].params.labels} (DESIGN.md "Argus semantics", Label selection).
 *
 * @param label  label name the rule applies to
 * @param select {@link #DROP_UNLESS_ABOVE} (1) or {@link #WHITELIST} (2); other values are ignored
 * @param score  threshold in [0, 1]
 */
public record SelectRule(String label, int select, float score) {

    /** select=1: the label is dropped unless its score is greater than the rule's score. */
    public static final int DROP_UNLESS_ABOVE = 1;

    /** select=2: whitelist entry; the label survives when its score is at least the rule's score. */
    public static final int WHITELIST = 2;
}
