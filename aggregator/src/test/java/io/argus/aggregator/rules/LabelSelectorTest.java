package io.argus.aggregator.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class LabelSelectorTest {

    private static ScoredLabel l(String name, float score) {
        return new ScoredLabel(name, score);
    }

    @Test
    void dedupeKeepsHighestScoreInFirstSeenOrder() {
        Map<String, Float> merged = LabelSelector.dedupe(List.of(l("b", 0.2f), l("a", 0.9f), l("b", 0.7f), l("a", 0.1f)));

        assertThat(merged).containsExactly(Map.entry("b", 0.7f), Map.entry("a", 0.9f));
    }

    @Test
    void withoutRulesEveryLabelSurvives() {
        FrameVerdict v = new LabelSelector(List.of(), false).select(List.of(l("person", 0.0f), l("car", 1.0f)));

        assertThat(v.outcome()).isEqualTo(FrameVerdict.Outcome.LABELLED);
        assertThat(v.labels()).containsOnlyKeys("person", "car");
    }

    @Test
    void whitelistKeepsOnlyListedSelect2LabelsAtOrAboveTheirScore() {
        LabelSelector s = new LabelSelector(List.of(
                new SelectRule("person", 2, 0.5f), new SelectRule("car", 2, 0.5f), new SelectRule("dog", 1, 0.1f)), false);

        FrameVerdict v = s.select(List.of(l("person", 0.5f), l("car", 0.49f), l("dog", 0.9f), l("cat", 0.99f)));

        assertThat(v.labels()).containsExactly(Map.entry("person", 0.5f));
        assertThat(s.survives("car", 0.5f)).isTrue();
        assertThat(s.survives("dog", 0.9f)).as("select=1 entries do not whitelist").isFalse();
    }

    @Test
    void whitelistRejectsAFrameWhoseLabelsAreAllRemoved() {
        LabelSelector s = new LabelSelector(List.of(new SelectRule("person", 2, 0.5f)), false);

        FrameVerdict v = s.select(List.of(l("person", 0.4f), l("car", 0.9f)));

        assertThat(v.outcome()).isEqualTo(FrameVerdict.Outcome.SELECTED_OUT);
        assertThat(v.kept()).isFalse();
    }

    @Test
    void select1DropsAtOrBelowThresholdKeepsAboveAndKeepsUnlisted() {
        LabelSelector s = new LabelSelector(List.of(new SelectRule("person", 1, 0.5f)), false);

        assertThat(s.survives("person", 0.5f)).isFalse();
        assertThat(s.survives("person", 0.4f)).isFalse();
        assertThat(s.survives("person", 0.51f)).isTrue();
        assertThat(s.survives("car", 0.0f)).isTrue();
    }

    @Test
    void select1WithZeroThresholdDropsZeroScoresOnly() {
        LabelSelector s = new LabelSelector(List.of(new SelectRule("person", 1, 0.0f)), false);

        assertThat(s.survives("person", 0.0f)).isFalse();
        assertThat(s.survives("person", 0.01f)).isTrue();
    }

    @Test
    void selectionUsesTheDeduplicatedHighestScore() {
        LabelSelector s = new LabelSelector(List.of(new SelectRule("person", 1, 0.5f)), false);

        FrameVerdict v = s.select(List.of(l("person", 0.2f), l("person", 0.8f)));

        assertThat(v.labels()).containsExactly(Map.entry("person", 0.8f));
    }

    @Test
    void emptyFrameIsKeptUnlessIgnoreEmptyLabels() {
        FrameVerdict kept = new LabelSelector(List.of(), false).select(List.of());
        FrameVerdict ignored = new LabelSelector(List.of(), true).select(List.of());

        assertThat(kept.outcome()).isEqualTo(FrameVerdict.Outcome.EMPTY);
        assertThat(kept.kept()).isTrue();
        assertThat(kept.labels()).isEmpty();
        assertThat(ignored.outcome()).isEqualTo(FrameVerdict.Outcome.EMPTY_IGNORED);
        assertThat(ignored.kept()).isFalse();
    }

    @Test
    void framesWithLabelsAllSelectedOutAreRejectedEvenWhenEmptyFramesAreKept() {
        LabelSelector s = new LabelSelector(List.of(new SelectRule("person", 1, 0.5f)), false);

        assertThat(s.select(List.of(l("person", 0.3f))).outcome()).isEqualTo(FrameVerdict.Outcome.SELECTED_OUT);
    }

    @Test
    void failedVerdictIsRejected() {
        assertThat(FrameVerdict.failed().kept()).isFalse();
        assertThat(FrameVerdict.failed().outcome()).isEqualTo(FrameVerdict.Outcome.FAILED);
    }
}
