package io.argus.aggregator.rules;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-frame labels and label selection of one op (DESIGN.md "Argus semantics", bullets "Per-frame
 * labels" and "Label selection"):
 * <ol>
 *   <li>duplicate labels keep the highest score;</li>
 *   <li>if any rule has select=2 the rules are a whitelist: only labels listed with select=2 and
 *       score &gt;= the rule's score survive; otherwise each select=1 rule drops its label unless the
 *       label's score is greater than the rule's score (a 0 threshold drops a 0 score; a score equal
 *       to the threshold is dropped) and unlisted labels are kept;</li>
 *   <li>a frame is kept when a label survives; a frame with no label at all is kept as an empty
 *       frame unless ignore_empty_labels is set; a frame whose labels were all removed is
 *       rejected.</li>
 * </ol>
 * Immutable and thread-safe.
 */
public final class LabelSelector {

    private final List<SelectRule> rules;
    private final boolean whitelist;
    private final boolean ignoreEmptyLabels;

    /**
     * @param rules             the op's {@code labels} rules, possibly empty (everything is kept)
     * @param ignoreEmptyLabels the op's {@code ignore_empty_labels}: reject frames without labels
     */
    public LabelSelector(List<SelectRule> rules, boolean ignoreEmptyLabels) {
        this.rules = List.copyOf(rules);
        this.whitelist = rules.stream().anyMatch(r -> r.select() == SelectRule.WHITELIST);
        this.ignoreEmptyLabels = ignoreEmptyLabels;
    }

    /**
     * Rule 1: merges duplicate labels, keeping each name's highest score.
     *
     * @param labels labels of one frame, scores in [0, 1]
     * @return name to highest score, in first-seen order
     */
    public static Map<String, Float> dedupe(List<ScoredLabel> labels) {
        Map<String, Float> merged = new LinkedHashMap<>();
        for (ScoredLabel l : labels) {
            merged.merge(l.label(), l.score(), Math::max);
        }
        return merged;
    }

    /**
     * Rules 1 to 3 on the labels an op gave one frame.
     *
     * @param labels the frame's labels before selection (duplicates allowed), scores in [0, 1]
     * @return kept with the surviving labels, kept as empty, or rejected
     */
    public FrameVerdict select(List<ScoredLabel> labels) {
        Map<String, Float> merged = dedupe(labels);
        if (merged.isEmpty()) {
            return new FrameVerdict(ignoreEmptyLabels ? FrameVerdict.Outcome.EMPTY_IGNORED
                    : FrameVerdict.Outcome.EMPTY, Map.of());
        }
        Map<String, Float> surviving = new LinkedHashMap<>();
        merged.forEach((name, score) -> {
            if (survives(name, score)) {
                surviving.put(name, score);
            }
        });
        return surviving.isEmpty()
                ? new FrameVerdict(FrameVerdict.Outcome.SELECTED_OUT, Map.of())
                : new FrameVerdict(FrameVerdict.Outcome.LABELLED, surviving);
    }

    /**
     * Rule 2 on one label.
     *
     * @param name  label name
     * @param score its score in [0, 1]
     * @return whether the label survives the rules
     */
    public boolean survives(String name, float score) {
        if (whitelist) {
            for (SelectRule r : rules) {
                if (r.select() == SelectRule.WHITELIST && r.label().equals(name) && score >= r.score()) {
                    return true;
                }
            }
            return false;
        }
        for (SelectRule r : rules) {
            if (r.select() == SelectRule.DROP_UNLESS_ABOVE && r.label().equals(name) && !(score > r.score())) {
                return false;
            }
        }
        return true;
    }
}
